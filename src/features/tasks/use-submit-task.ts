import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useRef, useState } from 'react'
import { currentProvider } from '../../api/connection-store'
import { isApiError } from '../../api/errors'
import { libraryKeys } from '../../api/library-queries'
import type { QueueItem, StoredRequest, TaskRecord } from '../../db/db'
import { awaitRequestSent, cancelRequests, useQueueItems } from '../../db/queue'
import { postRequests, prepareRequests } from '../../db/submit'
import { useNow } from '../../lib/use-now'
import { sendErrorWords } from './queue-errors'
import { isWaiting, OFFLINE_WAIT, waitWords, type SpokenWords } from './queue-words'

export interface SendOptions {
  client?: QueryClient | undefined
  /** The request's idempotency key: the same press sent again (after a dropped connection) is the same request. */
  id?: string | undefined
  /** Hears the request once the gateway's queue holds it. */
  onQueued?: ((item: QueueItem) => void) | undefined
}

/**
 * Hands a request to the gateway (again, for a retry: to the provider of the task it retries, which the new task
 * then replaces as its retry), and resolves with its task once the gateway has sent it; with undefined when it was
 * cancelled while it waited; or rejects with why it was not sent.
 */
export async function sendRequest(
  request: StoredRequest,
  retryOf?: TaskRecord,
  { client, id, onQueued }: SendOptions = {},
): Promise<TaskRecord | undefined> {
  const provider = retryOf?.provider ?? currentProvider()
  const [prepared] = await prepareRequests([{ id, provider, request, retryOf: retryOf?.id }])
  const [queued] = await postRequests([prepared!], client)
  if (queued) onQueued?.(queued)
  const task = await awaitRequestSent(prepared!.id, client)
  // The gateway marks the retried task too; shown at once, with no Retry left on it.
  if (task && retryOf)
    client?.setQueryData<TaskRecord[]>(libraryKeys.tasks(), (list) =>
      list?.map((t) => (t.id === retryOf.id ? { ...t, retriedAs: task.id } : t)),
    )
  return task
}

/** A dropped connection is worth sending the same press again (the same id: never a second request). */
const SEND_TRIES = 3
const retryable = (failures: number, e: unknown) => failures < SEND_TRIES && isApiError(e) && e.kind === 'network'

/**
 * Sends a request, and holds it until the gateway has sent it. A press while one is on its way does nothing, so one
 * press makes one task, never two. `waitWords` say where it is meanwhile: offline, waiting to send (and why it is
 * held back, when the provider asked), or nothing yet while it is handed over ("Sending…").
 */
export function useSubmitTask() {
  const client = useQueryClient()
  const sending = useRef(false)
  const [queued, setQueued] = useState<QueueItem>()
  const mutation = useMutation({
    // Offline, the press waits here and goes by itself once the gateway can be reached again.
    networkMode: 'online',
    retry: retryable,
    mutationFn: ({ request, id }: { request: StoredRequest; id: string }) =>
      sendRequest(request, undefined, { client, id, onQueued: setQueued }),
    onSettled: () => {
      sending.current = false
      setQueued(undefined)
    },
  })
  // The queue as the gateway last said, where it has the request; else what the gateway answered when it took it.
  const item = useQueueItems()?.find((i) => i.id === queued?.id) ?? queued
  const now = useNow(item?.notBefore !== undefined)
  const waiting: SpokenWords | undefined = mutation.isPaused ? { shown: OFFLINE_WAIT, said: OFFLINE_WAIT } : waitWords(item, now)
  return {
    ...mutation,
    /** Why the last send failed, in plain words with the technical part apart. */
    errorWords: mutation.error ? sendErrorWords(mutation.error) : undefined,
    /** Where the request is while it waits (shown, and said once per state); undefined while it is handed over. */
    waitWords: mutation.isPending ? waiting : undefined,
    send: (request: StoredRequest) => {
      if (sending.current) return Promise.resolve(undefined)
      sending.current = true
      return mutation.mutateAsync({ request, id: crypto.randomUUID() })
    },
    /**
     * While the gateway holds the request, waiting to send it: takes it back, and the send ends with no task. (One
     * already out finishes: the provider has it.)
     */
    cancel: queued && item && isWaiting(item) ? () => void cancelRequests([queued.id], client).catch(() => {}) : undefined,
  }
}

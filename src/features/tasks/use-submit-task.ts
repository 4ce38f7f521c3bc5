import { useMutation } from '@tanstack/react-query'
import { useRef, useState } from 'react'
import { currentProvider } from '../../api/connection-store'
import type { StoredRequest, TaskRecord } from '../../db/db'
import { enqueueItems, queueItem } from '../../db/queue'
import { findModel } from '../../models'
import { useQueuePlan } from './queue-channel'
import { sendErrorWords } from './queue-errors'
import { waitWords } from './queue-words'
import { useNow } from './use-now'

/**
 * Sends a request (again, for a retry: to the provider of the task it retries) through the submit queue, like every
 * sweep task, and resolves with its task once sent, or rejects with why it was not. `onQueued` hears the queue item's
 * id, to show the wait.
 */
export async function sendRequest(
  request: StoredRequest,
  retryOf?: TaskRecord,
  onQueued?: (itemId: string) => void,
): Promise<TaskRecord | undefined> {
  if (!findModel(request.modelId)) throw new Error('This model is not in the studio any more.')
  const provider = retryOf?.provider ?? currentProvider()
  // Loaded on the first send, with the runner, not with the first paint.
  const { awaitQueueOutcome } = await import('./queue-outcome')
  const item = queueItem({ provider, request, retryOf: retryOf?.id }, Date.now())
  // Listening before the item is in the queue: a runner that sends at once cannot be missed.
  const outcome = awaitQueueOutcome(item.id)
  try {
    await enqueueItems([item])
  } catch (e) {
    outcome.cancel()
    throw e
  }
  onQueued?.(item.id)
  return outcome.promise
}

/** What the Generate status line says while a queued request waits its turn; undefined: "Sending…". */
function useWaitWords(itemId: string | undefined): string | undefined {
  const plan = useQueuePlan()
  const now = useNow(itemId !== undefined)
  return itemId && plan ? waitWords(plan, itemId, now) : undefined
}

/**
 * Sends a request and writes its task once the queue has sent it. A press while one is on its way does nothing, so
 * one press makes one task, never two.
 */
export function useSubmitTask() {
  const sending = useRef(false)
  const [queued, setQueued] = useState<string>()
  const mutation = useMutation({
    mutationFn: (request: StoredRequest) => sendRequest(request, undefined, setQueued),
    onSettled: () => {
      sending.current = false
      setQueued(undefined)
    },
  })
  const waiting = useWaitWords(mutation.isPending ? queued : undefined)
  return {
    ...mutation,
    /** Why the last send failed, in plain words with the technical part apart. */
    errorWords: mutation.error ? sendErrorWords(mutation.error) : undefined,
    /** While the request waits in the queue: when it goes, and why it waits. */
    waitWords: waiting,
    send: (request: StoredRequest) => {
      if (sending.current) return Promise.resolve(undefined)
      sending.current = true
      return mutation.mutateAsync(request)
    },
  }
}

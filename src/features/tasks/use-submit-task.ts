import { useMutation } from '@tanstack/react-query'
import { useRef, useState } from 'react'
import { currentProvider } from '../../api/connection-store'
import type { StoredRequest, TaskRecord } from '../../db/db'
import { enqueueItems, queueItem } from '../../db/queue'
import { findModel } from '../../models'
import { useQueuePlan } from './queue-channel'
import { sendErrorWords } from './queue-errors'
import { waitWords, type SpokenWords } from './queue-words'
import { useSenderTrouble } from './sender-state'
import { useNow } from '../../lib/use-now'

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

/**
 * Holds what a status line says for as long as its state lasts: the countdown in the shown words moves every second,
 * but the live region speaks once per state ("Queued: sends in about 40 s", then "Paused by the provider").
 */
function useHeldSaid(words: SpokenWords | undefined): SpokenWords | undefined {
  const state = words?.said.replace(/\d+/g, '#')
  const [held, setHeld] = useState<{ state: string | undefined; said: string | undefined }>({ state, said: words?.said })
  // Adjusting state while rendering, React's way: the new state's words are said at once, not a render later.
  if (held.state !== state) setHeld({ state, said: words?.said })
  return words && { shown: words.shown, said: held.state === state ? (held.said ?? words.said) : words.said }
}

/** What the Generate status line says while a queued request waits its turn; undefined: "Sending…". */
function useWaitWords(itemId: string | undefined): SpokenWords | undefined {
  const plan = useQueuePlan()
  const now = useNow(itemId !== undefined)
  const trouble = useSenderTrouble()
  const words = useHeldSaid(itemId && plan ? waitWords(plan, itemId, now) : undefined)
  // Nothing is sent while the runner cannot load: the wait would be forever.
  return itemId && trouble ? { shown: trouble, said: trouble } : words
}

/**
 * Sends a request and writes its task once the queue has sent it. A press while one is on its way does nothing, so
 * one press makes one task, never two.
 */
export function useSubmitTask() {
  const sending = useRef(false)
  const [queued, setQueued] = useState<string>()
  const mutation = useMutation({
    // Offline too: the press goes into the submit queue (IndexedDB) at once, so a reload cannot lose it; the queue
    // itself sends nothing until the network is back. (A paused mutation would hold the press in memory only.)
    networkMode: 'always',
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
    /** While the request waits in the queue: when it goes, and why it waits (shown, and said once per state). */
    waitWords: waiting,
    send: (request: StoredRequest) => {
      if (sending.current) return Promise.resolve(undefined)
      sending.current = true
      return mutation.mutateAsync(request)
    },
  }
}

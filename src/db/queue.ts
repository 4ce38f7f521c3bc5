import { hashKey, useQuery, type QueryCacheNotifyEvent, type QueryClient } from '@tanstack/react-query'
import * as z from 'zod/mini'
import { isApiError, type ErrorWords } from '../api/errors'
import { libraryGet, librarySend } from '../api/library-client'
import { feedIsUp } from '../api/library-feed'
import { libraryKeys, libraryQueries, toQueueItem } from '../api/library-queries'
import { queueItemSchema } from '../api/library-schemas'
import type { QueueItem, TaskRecord } from './db'
import { putQueueItems } from './submit'
import { readTask } from './tasks'

/*
 * The gateway's submit queue, as the studio sees it: the requests waiting to be sent, being sent, or failed to send,
 * in the order the gateway sends them. The gateway does the sending; the studio watches, and takes back what waits.
 */

/** The queue in sending order; undefined until the first read. */
export function useQueueItems(): QueueItem[] | undefined {
  return useQuery(libraryQueries.queue()).data
}

const hasItems = (items: QueueItem[]) => items.length > 0

/** Whether anything is in the queue; false until the first read. */
export function useQueueHasItems(): boolean {
  return useQuery({ ...libraryQueries.queue(), select: hasItems }).data ?? false
}

const idsSchema = z.object({ ids: z.array(z.string()) })

/**
 * Takes back requests still waiting (one already out finishes, and is never sent again): Cancel of a waiting Generate.
 * Resolves with those taken.
 */
export async function cancelRequests(ids: readonly string[], client?: QueryClient): Promise<string[]> {
  if (!ids.length) return []
  const { ids: cancelled } = await librarySend('POST', '/requests/cancel', { ids }, idsSchema)
  const gone = new Set(cancelled)
  client?.setQueryData<QueueItem[]>(libraryKeys.queue(), (list) => list?.filter((i) => !gone.has(i.id)))
  // Read again as well: whoever waits for one of them (awaitRequestSent) hears of it at once.
  void client?.invalidateQueries({ queryKey: libraryKeys.queue() })
  return cancelled
}

/** A request the gateway could not send, with the words it wrote down. */
export class RequestFailed extends Error {
  constructor(readonly words: ErrorWords) {
    super(words.message)
    this.name = 'RequestFailed'
  }
}

const wordsOf = (item: QueueItem): ErrorWords => ({
  message: item.error?.message ?? 'The request was not sent. Try again.',
  details: item.error?.details,
  // A refused key's way out (Settings) and its kind (worded for the gateway's own key when it holds one).
  fix: item.error?.fix,
  account: item.error?.account,
})

const QUEUE_HASH = hashKey(libraryKeys.queue())

/** The queue's answers that are fresh news from the gateway (a refetch), not the studio's own writes to the cache. */
const isQueueNews = (event: QueryCacheNotifyEvent) =>
  event.type === 'updated' && event.query.queryHash === QUEUE_HASH && event.action.type === 'success' && !event.action.manual

/**
 * Until the next look at a request: the queue's next refetch (the change feed asks for one whenever the queue
 * changes), or a while, whichever comes first; with no feed, looks come often at first and every few seconds after.
 */
function nextLook(round: number, client: QueryClient | undefined): Promise<void> {
  const wait = feedIsUp() ? 10_000 : Math.min(3_000, 250 * 2 ** round)
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      unsubscribe()
      resolve()
    }
    const timer = setTimeout(done, wait)
    const unsubscribe = client?.getQueryCache().subscribe((event) => isQueueNews(event) && done()) ?? (() => {})
  })
}

/**
 * Waits for the gateway to send one request: resolves with its task once it has one, with undefined when it was
 * taken back (Cancel), or rejects with RequestFailed and the gateway's words when it could not be sent. The queue
 * item and the task go into the cache as they are seen. A gateway that does not answer for a while is waited for.
 */
export async function awaitRequestSent(id: string, client?: QueryClient): Promise<TaskRecord | undefined> {
  for (let round = 0; ; round++) {
    try {
      const item = toQueueItem(await libraryGet(`/requests/${encodeURIComponent(id)}`, queueItemSchema))
      putQueueItems(client, [item])
      if (item.taskRecordId) return await readTask(item.taskRecordId, client)
      if (item.state === 'failed') throw new RequestFailed(wordsOf(item))
      if (item.state === 'cancelled') return undefined
    } catch (e) {
      // Cancelled and cleared since.
      if (isApiError(e) && e.status === 404) return undefined
      // No answer, or a passing fault: the gateway has the request, and goes on sending without us.
      if (!isApiError(e) || !e.transient) throw e
    }
    await nextLook(round, client)
  }
}

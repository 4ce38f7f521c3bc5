import { liveQuery } from 'dexie'
import { useLiveQuery } from 'dexie-react-hooks'
import type { ProviderId } from '../api/gateway-urls'
import { db, type CellRef, type QueueItem, type StoredRequest } from './db'

/** What a caller hands the submit queue: one request, and where its task belongs. */
export interface QueueEntry {
  provider: ProviderId
  request: StoredRequest
  retryOf?: string | undefined
  experimentId?: string | undefined
  cell?: CellRef | undefined
}

/** A fresh queue item: waiting, never sent. Its id doubles as the Idempotency-Key of its submit. */
export function queueItem(entry: QueueEntry, createdAt: number, order = 0): QueueItem {
  return {
    id: crypto.randomUUID(),
    // Items added together keep their order (createdAt is the queue's sort key).
    createdAt: createdAt + order / 1000,
    ...entry,
    state: 'queued',
    attempts: 0,
  }
}

/** Adds requests to the end of the submit queue, in order, in one transaction. Returns the items. */
export async function enqueue(entries: readonly QueueEntry[], now = Date.now()): Promise<QueueItem[]> {
  const items = entries.map((entry, i) => queueItem(entry, now, i))
  await db.queue.bulkAdd(items)
  return items
}

/** Adds items made beforehand with queueItem (a caller that listens for an item's outcome before it can be sent). */
export async function enqueueItems(items: readonly QueueItem[]): Promise<void> {
  await db.queue.bulkAdd([...items])
}

/** The queue in sending order, live; undefined until the first read. */
export function useQueueItems(): QueueItem[] | undefined {
  return useLiveQuery(() => db.queue.orderBy('createdAt').toArray(), [])
}

export async function removeQueueItem(id: string): Promise<void> {
  await db.queue.delete(id)
}

/** Calls back with one item (undefined once it has left the queue) whenever it changes; returns the unsubscribe. */
export function observeQueueItem(id: string, onChange: (item: QueueItem | undefined) => void): () => void {
  const subscription = liveQuery(() => db.queue.get(id)).subscribe({ next: onChange, error: () => {} })
  return () => subscription.unsubscribe()
}

/** Whether anything is in the queue, live; false until the first read. */
export function useQueueHasItems(): boolean {
  return useLiveQuery(async () => (await db.queue.count()) > 0, [], false)
}

import { liveQuery } from 'dexie'
import { useLiveQuery } from 'dexie-react-hooks'
import type { ProviderId } from '../api/gateway-urls'
import { db, type CellRef, type QueueItem, type StoredRequest, type TaskRecord } from './db'
import { addTask } from './tasks'

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

/**
 * Cancel sweep: removes the experiment's items that have not been sent. An item already sending stays: its request
 * is out, and its task will arrive. Returns how many were removed.
 */
export async function cancelQueued(experimentId: string): Promise<number> {
  return db.transaction('rw', db.queue, () =>
    db.queue.filter((item) => item.experimentId === experimentId && item.state !== 'sending').delete(),
  )
}

/** The queue in sending order, live; undefined until the first read. */
export function useQueueItems(): QueueItem[] | undefined {
  return useLiveQuery(() => db.queue.orderBy('createdAt').toArray(), [])
}

/* The submit queue's runner (features/tasks/submit-queue.ts) reads and writes its items only through these. */

/** The whole queue in sending order (createdAt), once. */
export function readQueue(): Promise<QueueItem[]> {
  return db.queue.orderBy('createdAt').toArray()
}

/**
 * When each request of the last window left the studio: the tasks written since (a task is written after its send,
 * so its createdAt is never older than its sentAt) and the queue items already sent (out now, refused, or waiting
 * after a 429). A success moves an item into a task in one transaction, so nothing counts twice.
 */
export async function sentTimesSince(since: number): Promise<number[]> {
  const [tasks, items] = await db.transaction('r', db.tasks, db.queue, () =>
    Promise.all([db.tasks.where('createdAt').above(since).toArray(), db.queue.toArray()]),
  )
  return [...tasks, ...items].flatMap((t) => (t.sentAt !== undefined && t.sentAt > since ? [t.sentAt] : []))
}

/**
 * Marks an item as being sent, reading it in the same transaction: an item cancelled (gone) or failed meanwhile is
 * not sent (undefined). A fresh send is stamped now; an item still 'sending' (a reload cut its send) keeps its stamp,
 * as its repeat with the same Idempotency-Key is the same request.
 */
export async function claimQueueItem(id: string, now = Date.now()): Promise<QueueItem | undefined> {
  return db.transaction('rw', db.queue, async () => {
    const item = await db.queue.get(id)
    if (!item || item.state === 'failed') return undefined
    const claimed: QueueItem = {
      ...item,
      state: 'sending',
      sentAt: item.state === 'sending' ? (item.sentAt ?? now) : now,
      attempts: item.attempts + 1,
      notBefore: undefined,
    }
    await db.queue.put(claimed)
    return claimed
  })
}

/** A send that gave a task id: the task is written and the item leaves the queue, in one transaction. */
export async function completeQueueItem(item: QueueItem, taskId: string): Promise<TaskRecord> {
  return db.transaction('rw', db.tasks, db.prompts, db.queue, async () => {
    const task = await addTask(item.provider, taskId, item.request, {
      retryOf: item.retryOf,
      sentAt: item.sentAt,
      experimentId: item.experimentId,
      cell: item.cell,
    })
    await db.queue.delete(item.id)
    return task
  })
}

/** A 429: the item waits its turn again, and the whole queue waits until `notBefore`. */
export async function requeueQueueItem(id: string, notBefore: number): Promise<void> {
  await db.queue.update(id, { state: 'queued', notBefore })
}

/** A send that failed for good: kept with its reason until it is dismissed or re-run. */
export async function failQueueItem(id: string, error: NonNullable<QueueItem['error']>): Promise<void> {
  await db.queue.update(id, { state: 'failed', error })
}

export async function removeQueueItem(id: string): Promise<void> {
  await db.queue.delete(id)
}

/**
 * Single Generate and Retry items that failed while no one was waiting for them (the page that sent them was
 * reloaded): their callers can no longer be told, and only experiment items keep a failure on show (on the board).
 */
export async function removeOrphanFailures(): Promise<number> {
  return db.queue.filter((item) => item.state === 'failed' && !item.experimentId).delete()
}

/** Calls back with the queue (sending order) whenever it changes, in this tab or another; returns the unsubscribe. */
export function observeQueue(onChange: (items: QueueItem[]) => void): () => void {
  const subscription = liveQuery(readQueue).subscribe({ next: onChange, error: () => {} })
  return () => subscription.unsubscribe()
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

import { liveQuery } from 'dexie'
import { db, type QueueItem, type TaskRecord } from './db'
import { addTask } from './tasks'

/*
 * The submit queue's runner (features/tasks/submit-queue.ts) reads and writes its items only through these. They
 * sit apart from queue.ts so that they load with the runner, on demand, and not with the first paint.
 */

/** The whole queue in sending order (createdAt), once. */
export function readQueue(): Promise<QueueItem[]> {
  return db.queue.orderBy('createdAt').toArray()
}

/**
 * When each request of the last window left the studio: the tasks written since (a task is written after its send,
 * so its createdAt is never older than its sentAt) and the queue items already sent (out now, refused, or waiting
 * after a 429), but for the `except` ones (sends to be made again, stamped anew). A success moves an item into a task
 * in one transaction, so nothing counts twice.
 */
export async function sentTimesSince(since: number, except: ReadonlySet<string> = new Set()): Promise<number[]> {
  const [tasks, items] = await db.transaction('r', db.tasks, db.queue, () =>
    Promise.all([db.tasks.where('createdAt').above(since).toArray(), db.queue.filter((item) => !except.has(item.id)).toArray()]),
  )
  return [...tasks, ...items].flatMap((t) => (t.sentAt !== undefined && t.sentAt > since ? [t.sentAt] : []))
}

/**
 * Marks an item as being sent, stamped now, reading it in the same transaction: an item cancelled (gone) or failed
 * meanwhile is not sent (undefined). An item still 'sending' (a reload cut its send) is claimed again: its repeat
 * carries the same Idempotency-Key, so the gateway never makes a second task of it.
 */
export async function claimQueueItem(id: string, now = Date.now()): Promise<QueueItem | undefined> {
  return db.transaction('rw', db.queue, async () => {
    const item = await db.queue.get(id)
    if (!item || item.state === 'failed') return undefined
    const claimed: QueueItem = { ...item, state: 'sending', sentAt: now, attempts: item.attempts + 1, notBefore: undefined }
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

import { liveQuery } from 'dexie'
import { db, type QueueItem, type TaskRecord } from './db'
import { addTask, holdIfFull } from './tasks'

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
 * after a 429). A success moves an item into a task in one transaction, so nothing counts twice; a send a reload cut
 * short that never arrived loses its stamp when it waits again (requeueCutSend).
 */
export async function sentTimesSince(since: number): Promise<number[]> {
  const [tasks, items] = await db.transaction('r', db.tasks, db.queue, () =>
    Promise.all([db.tasks.where('createdAt').above(since).toArray(), db.queue.toArray()]),
  )
  return [...tasks, ...items].flatMap((t) => (t.sentAt !== undefined && t.sentAt > since ? [t.sentAt] : []))
}

/**
 * Marks a waiting item as being sent, stamped now, reading it in the same transaction: only a 'queued' item is
 * claimed, so an item cancelled (gone or flagged), failed, or already out (another runner's) is never sent
 * (undefined). A send a reload cut short is put back in line explicitly first (requeueCutSend).
 */
export async function claimQueueItem(id: string, now = Date.now()): Promise<QueueItem | undefined> {
  return db.transaction('rw', db.queue, async () => {
    const item = await db.queue.get(id)
    if (!item || item.state !== 'queued' || item.cancelled) return undefined
    const claimed: QueueItem = { ...item, state: 'sending', sentAt: now, attempts: item.attempts + 1, notBefore: undefined }
    await db.queue.put(claimed)
    return claimed
  })
}

/**
 * A send that gave a task id: the task is written and the item leaves the queue, in one transaction. Storage full:
 * the task id is held aside until there is space (holdIfFull), never lost.
 */
export async function completeQueueItem(item: QueueItem, taskId: string): Promise<TaskRecord> {
  return holdIfFull(item, taskId, () => writeSentTask(item, taskId))
}

function writeSentTask(item: QueueItem, taskId: string): Promise<TaskRecord> {
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

/**
 * Reads an item that was out, in a transaction that then changes it: one cancelled meanwhile (Cancel sweep flags an
 * item in flight) leaves the queue instead, since it must never be sent again. Returns whether `change` ran.
 */
function unlessCancelled(id: string, change: (item: QueueItem) => Promise<unknown>): Promise<boolean> {
  return db.transaction('rw', db.queue, async () => {
    const item = await db.queue.get(id)
    if (!item) return false
    if (item.cancelled) {
      await db.queue.delete(id)
      return false
    }
    await change(item)
    return true
  })
}

/**
 * A send a reload cut short, which the gateway says it never had: it waits its turn again as never sent (its old
 * stamp no longer counts in the rate window). Returns whether it waits (false: cancelled meanwhile, and gone).
 */
export function requeueCutSend(id: string): Promise<boolean> {
  return unlessCancelled(id, (item) =>
    item.state === 'sending' ? db.queue.put({ ...item, state: 'queued', sentAt: undefined }) : Promise.resolve(),
  )
}

/**
 * A 429, or a sweep item's passing failure (`trouble`: its words, and whether the request may have arrived): the item
 * waits its turn again, and the whole queue waits until `notBefore`. A cancelled item leaves the queue instead.
 * `count: false` for a send that found no gateway: being offline is not one of the item's failures.
 */
export function requeueQueueItem(
  id: string,
  notBefore: number,
  trouble?: { error: NonNullable<QueueItem['error']>; lookup: boolean },
  { count = true }: { count?: boolean } = {},
): Promise<boolean> {
  return unlessCancelled(id, (item) =>
    db.queue.put({
      ...item,
      state: 'queued',
      notBefore,
      // The last passing failure's words stay while it waits (the pause is then not the provider's 429).
      error: trouble?.error,
      trouble: trouble
        ? { failures: (item.trouble?.failures ?? 0) + (count ? 1 : 0), lookup: trouble.lookup }
        : item.trouble && { ...item.trouble, lookup: false },
    }),
  )
}

/**
 * A send that failed for good: kept with its reason until it is dismissed or re-run. A cancelled item leaves the
 * queue instead. Returns whether it was kept (false: nobody is to be told).
 */
export function failQueueItem(id: string, error: NonNullable<QueueItem['error']>): Promise<boolean> {
  return unlessCancelled(id, (item) => db.queue.put({ ...item, state: 'failed', error }))
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

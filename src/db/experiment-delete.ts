import type { Undoable } from '../lib/undo-store'
import { db, type QueueItem } from './db'
import { PURGE_GRACE_MS, UNDO_WINDOW_MS } from './samples'
import { storageWasFull } from './storage'
import { retryHeldWrites } from './videos'

/**
 * Delete experiment, soft like a sample's Delete: in ONE transaction the experiment, its samples and its tasks leave
 * every read (same stamp), and its requests still waiting are taken out of the submit queue (a request already out
 * cannot be called back: it is flagged, as Cancel sweep does). Undo puts all of it back; the toast's end purges it.
 */
export interface DeletedExperiment {
  id: string
  deletedAt: number
  /** Requests taken out of the queue, as they were (Undo puts them back, same ids and places in line). */
  removed: QueueItem[]
  /** Requests out at the time, flagged cancelled. */
  flagged: string[]
  /** Tasks hidden from the task strip by this deletion (not the ones already dismissed). */
  hidden: string[]
  /** Samples deleted by it. */
  samples: string[]
}

const TABLES = [db.experiments, db.tasks, db.samples, db.videos, db.queue] as const

export async function deleteExperiment(id: string, now = Date.now()): Promise<DeletedExperiment | undefined> {
  return db.transaction('rw', [...TABLES], async () => {
    const experiment = await db.experiments.get(id)
    if (!experiment || experiment.deletedAt !== undefined) return undefined
    const tasks = await db.tasks.where('experimentId').equals(id).toArray()
    const taskIds = new Set(tasks.map((t) => t.id))
    const samples = await db.samples.filter((s) => taskIds.has(s.taskRecordId) && s.deletedAt === undefined).toArray()
    const items = await db.queue.filter((i) => i.experimentId === id).toArray()
    const removed = items.filter((i) => i.state !== 'sending')
    const flagged = items.filter((i) => i.state === 'sending' && !i.cancelled).map((i) => i.id)
    const hidden = tasks.filter((t) => !t.dismissed).map((t) => t.id)
    await db.experiments.update(id, { deletedAt: now })
    await db.samples
      .where('id')
      .anyOf(samples.map((s) => s.id))
      .modify({ deletedAt: now })
    await db.tasks.where('id').anyOf(hidden).modify({ dismissed: true })
    await db.queue.bulkDelete(removed.map((i) => i.id))
    await db.queue.where('id').anyOf(flagged).modify({ cancelled: true })
    return { id, deletedAt: now, removed, flagged, hidden, samples: samples.map((s) => s.id) }
  })
}

/** Undo: exactly that deletion comes back (a sample deleted again since, from its card, keeps its own deletion). */
export async function restoreExperiment(d: DeletedExperiment): Promise<void> {
  await db.transaction('rw', [...TABLES], async () => {
    const experiment = await db.experiments.get(d.id)
    if (experiment?.deletedAt !== d.deletedAt) return
    await db.experiments.update(d.id, { deletedAt: undefined })
    // Its samples by stamp: also those a running task finished into the deleted experiment meanwhile.
    const taskIds = new Set((await db.tasks.where('experimentId').equals(d.id).toArray()).map((t) => t.id))
    await db.samples
      .filter((s) => s.deletedAt === d.deletedAt && taskIds.has(s.taskRecordId))
      .modify((s) => {
        delete s.deletedAt
      })
    await db.tasks.where('id').anyOf(d.hidden).modify({ dismissed: undefined })
    await db.queue.bulkPut(d.removed)
    await db.queue.where('id').anyOf(d.flagged).modify({ cancelled: undefined })
  })
}

/**
 * The deletion stands: the experiment, its tasks, its samples deleted with it and their videos go for good, with
 * its requests left in the queue. A request still out stays (the runner drops it on a refusal; a success still
 * becomes its task, since the provider has the work).
 */
export async function purgeExperiment(id: string, deletedAt: number): Promise<void> {
  await db.transaction('rw', [...TABLES], async () => {
    const experiment = await db.experiments.get(id)
    if (!experiment || experiment.deletedAt !== deletedAt) return
    const tasks = await db.tasks.where('experimentId').equals(id).toArray()
    const taskIds = new Set(tasks.map((t) => t.id))
    const gone = await db.samples.filter((s) => taskIds.has(s.taskRecordId) && s.deletedAt === deletedAt).primaryKeys()
    await db.samples.bulkDelete(gone)
    await db.videos.bulkDelete(gone)
    await db.tasks.bulkDelete([...taskIds])
    await db.queue.filter((i) => i.experimentId === id && i.state !== 'sending').delete()
    await db.experiments.delete(id)
  })
  if (storageWasFull()) void retryHeldWrites()
}

/** At start: experiments deleted long ago (the studio closed during their Undo) are purged. Returns how many. */
export async function purgeDeletedExperiments(now = Date.now()): Promise<number> {
  const old = await db.experiments
    .filter((e) => e.deletedAt !== undefined && e.deletedAt + UNDO_WINDOW_MS + PURGE_GRACE_MS <= now)
    .toArray()
  for (const e of old) await purgeExperiment(e.id, e.deletedAt!)
  return old.length
}

/** The Undo toast of a deleted experiment. */
export function undoExperimentDeletion(d: DeletedExperiment, message: string, focus = false): Undoable {
  return {
    key: `experiment-deleted:${d.id}:${d.deletedAt}`,
    message,
    until: d.deletedAt + UNDO_WINDOW_MS,
    focus,
    undo: () => void restoreExperiment(d),
    expire: () => void purgeExperiment(d.id, d.deletedAt),
  }
}

import { useLiveQuery } from 'dexie-react-hooks'
import type { ProviderId } from '../api/gateway-urls'
import {
  db,
  type CellMarks,
  type CellRef,
  type ExperimentColumn,
  type ExperimentRecord,
  type QueueItem,
  type SampleRecord,
  type StoredRequest,
  type TaskRecord,
} from './db'
import { enqueue, queueItem, type QueueEntry } from './queue'

export const cellKey = ({ row, col }: CellRef) => `${row}:${col}`

export interface NewExperiment {
  name: string
  provider: ProviderId
  base: StoredRequest
  rows: string[]
  columns: ExperimentColumn[]
  /** Every task of the sweep, in sending order, with its cell. */
  cells: readonly { cell: CellRef; request: StoredRequest }[]
}

/** Run sweep: the experiment and all its requests, queued, in one transaction: a reload never finds one without the other. */
export async function createExperiment(input: NewExperiment, now = Date.now()): Promise<ExperimentRecord> {
  const experiment: ExperimentRecord = {
    id: crypto.randomUUID(),
    name: input.name,
    createdAt: now,
    base: input.base,
    rows: input.rows,
    columns: input.columns,
    marks: {},
  }
  await db.transaction('rw', db.experiments, db.queue, async () => {
    await db.experiments.add(experiment)
    await enqueue(
      input.cells.map(({ cell, request }) => ({ provider: input.provider, request, experimentId: experiment.id, cell })),
      now,
    )
  })
  return experiment
}

export async function renameExperiment(id: string, name: string): Promise<void> {
  const trimmed = name.trim()
  if (trimmed) await db.experiments.update(id, { name: trimmed })
}

/** Sets a cell's winner mark or note, reading the marks in the same transaction so two quick edits both stay. */
export async function markCell(id: string, cell: CellRef, change: CellMarks): Promise<void> {
  await updateMarks(id, cell, () => change)
}

/**
 * Flips a cell's Winner from the stored mark, in one transaction: a second press before the board re-reads flips it
 * back, as the designer meant, instead of setting the same value twice.
 */
export async function toggleWinner(id: string, cell: CellRef): Promise<void> {
  await updateMarks(id, cell, (marks) => ({ winner: marks?.winner !== true }))
}

async function updateMarks(id: string, cell: CellRef, change: (marks: CellMarks | undefined) => CellMarks): Promise<void> {
  await db.transaction('rw', db.experiments, async () => {
    const experiment = await db.experiments.get(id)
    if (!experiment) return
    const key = cellKey(cell)
    const marks = experiment.marks[key]
    await db.experiments.update(id, { marks: { ...experiment.marks, [key]: { ...marks, ...change(marks) } } })
  })
}

/** Every experiment, newest first (deleted ones left out), live; undefined until the first read. */
export function useExperiments(): ExperimentRecord[] | undefined {
  return useLiveQuery(
    () =>
      db.experiments
        .orderBy('createdAt')
        .reverse()
        .filter((e) => e.deletedAt === undefined)
        .toArray(),
    [],
  )
}

/** One experiment, live: undefined while reading, null when there is none with this id. */
export function useExperiment(id: string): ExperimentRecord | null | undefined {
  return useLiveQuery(async () => {
    const experiment = await db.experiments.get(id)
    // Deleted (still undoable) is gone for every read.
    return experiment && experiment.deletedAt === undefined ? experiment : null
  }, [id])
}

export interface ExperimentContents {
  tasks: TaskRecord[]
  /** Samples still in the studio (deleted ones left out), by task record id. */
  samples: Map<string, SampleRecord[]>
  /** The whole submit queue in sending order (places in line and pauses are counted over all of it). */
  queue: QueueItem[]
  /** This experiment's queue items, in sending order. */
  items: QueueItem[]
}

/**
 * An experiment's tasks (oldest first), their samples and the submit queue, live, read from IndexedDB only, in ONE
 * read transaction: the runner turns a queue item into its task in one write, and a board reading the two apart
 * would show that cell, for one render, with neither (as if cancelled). Undefined until read.
 */
export function useExperimentContents(id: string): ExperimentContents | undefined {
  return useLiveQuery(
    () =>
      db.transaction('r', db.tasks, db.samples, db.queue, async () => {
        const tasks = await db.tasks.where('experimentId').equals(id).sortBy('createdAt')
        const queue = await db.queue.orderBy('createdAt').toArray()
        const samples = new Map<string, SampleRecord[]>()
        if (tasks.length) {
          const found = await db.samples
            .where('id')
            .anyOf(tasks.flatMap((t) => Array.from({ length: t.videoCount ?? 0 }, (_, i) => `${t.id}#${i}`)))
            .toArray()
          for (const s of found.sort((a, b) => a.index - b.index))
            if (s.deletedAt === undefined) samples.set(s.taskRecordId, [...(samples.get(s.taskRecordId) ?? []), s])
        }
        return { tasks, samples, queue, items: queue.filter((i) => i.experimentId === id) }
      }),
    [id],
  )
}

/**
 * Every task that belongs to an experiment (the index leaves the others out) and every queue item of one, live, in one
 * read (as a board reads them): the Experiments list counts them, and never sees a request between item and task.
 */
export function useExperimentActivity(): { tasks: TaskRecord[]; items: QueueItem[] } | undefined {
  return useLiveQuery(
    () =>
      db.transaction('r', db.tasks, db.queue, async () => ({
        tasks: await db.tasks.orderBy('experimentId').toArray(),
        items: await db.queue
          .orderBy('createdAt')
          .filter((i) => i.experimentId !== undefined)
          .toArray(),
      })),
    [],
  )
}

/**
 * Re-run: one cell's request again, at the end of the submit queue. A failed queue item it replaces goes in the same
 * transaction, so the cell never shows the old failure and the new request at once. Nothing is added when the cell
 * already has a request waiting or sending that is newer than its newest task (a second press before the board
 * re-read): undefined then.
 */
export async function rerunCell(
  entry: QueueEntry & { experimentId: string; cell: CellRef },
  replaces?: string,
  now = Date.now(),
): Promise<QueueItem | undefined> {
  const item = queueItem(entry, now)
  const key = cellKey(entry.cell)
  const inCell = (x: { cell?: CellRef | undefined }) => x.cell !== undefined && cellKey(x.cell) === key
  return db.transaction('rw', db.queue, db.tasks, async () => {
    const tasks = await db.tasks.where('experimentId').equals(entry.experimentId).filter(inCell).toArray()
    const newestTask = Math.max(-Infinity, ...tasks.map((t) => t.createdAt))
    const pending = await db.queue
      .filter((i) => i.experimentId === entry.experimentId && inCell(i) && i.state !== 'failed' && i.createdAt >= newestTask)
      .count()
    if (pending > 0) return undefined
    if (replaces && (await db.queue.get(replaces))?.state === 'failed') await db.queue.delete(replaces)
    await db.queue.add(item)
    return item
  })
}

/** What Cancel sweep did, for its Undo. */
export interface CancelledSweep {
  /** The requests removed, as they were. */
  removed: QueueItem[]
  /** Requests out when it came (state sending): flagged, so a refusal or a 429 drops them instead of a resend. */
  flagged: string[]
}

/**
 * Cancel sweep: removes the experiment's requests still waiting their turn (state queued). One being sent cannot be
 * called back: it stays, flagged `cancelled` (the runner then never sends it again; a success still becomes its
 * task). A failed one stays too, with its reason.
 */
export async function cancelWaiting(experimentId: string): Promise<CancelledSweep> {
  return db.transaction('rw', db.queue, async () => {
    const mine = await db.queue
      .orderBy('createdAt')
      .filter((i) => i.experimentId === experimentId)
      .toArray()
    const removed = mine.filter((i) => i.state === 'queued')
    const flagged = mine.filter((i) => i.state === 'sending' && !i.cancelled).map((i) => i.id)
    await db.queue.bulkDelete(removed.map((i) => i.id))
    await db.queue.where('id').anyOf(flagged).modify({ cancelled: true })
    return { removed, flagged }
  })
}

/**
 * Undo of Cancel sweep: the removed requests back exactly (same ids, so the same Idempotency-Keys; same createdAt,
 * so the same places in line; same state), and the flag off the ones still out. A cell re-run since keeps its new
 * request alone: no twin comes back.
 */
export async function restoreWaiting({ removed, flagged }: CancelledSweep): Promise<void> {
  await db.transaction('rw', db.queue, async () => {
    const present = await db.queue.toArray()
    const rerun = (item: QueueItem) =>
      present.some(
        (p) =>
          p.id !== item.id &&
          p.experimentId === item.experimentId &&
          p.cell !== undefined &&
          item.cell !== undefined &&
          cellKey(p.cell) === cellKey(item.cell) &&
          p.createdAt > item.createdAt,
      )
    await db.queue.bulkPut(removed.filter((i) => !rerun(i)))
    await db.queue.where('id').anyOf(flagged).modify({ cancelled: undefined })
  })
}

/** How many finished tasks the list looks through for a thumbnail: a few reads per experiment, never the whole sweep. */
const THUMB_CANDIDATES = 4

/**
 * The id of an experiment's first finished sample still in the studio with its video kept (so it has a poster), read
 * from the first few finished tasks, oldest first: the Experiments list's thumbnail. Undefined while there is none.
 */
export function useFirstKeptSampleId(tasks: readonly TaskRecord[]): string | undefined {
  const ids = tasks
    .filter((t) => t.finishedAt && t.videoCount)
    .sort((a, b) => a.createdAt - b.createdAt)
    .slice(0, THUMB_CANDIDATES)
    .flatMap((t) => Array.from({ length: t.videoCount ?? 0 }, (_, i) => `${t.id}#${i}`))
  const key = ids.join('|')
  return useLiveQuery(
    async () => {
      if (!ids.length) return undefined
      const found = await db.samples.bulkGet(ids)
      return found.find((s) => s && s.deletedAt === undefined && s.stored)?.id
    },
    // The ids are the query: a new array each render, the same key while the tasks stay.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  )
}

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
import { queueItem, type QueueEntry } from './queue'

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
  const items = input.cells.map(({ cell, request }, i) =>
    queueItem({ provider: input.provider, request, experimentId: experiment.id, cell }, now, i),
  )
  await db.transaction('rw', db.experiments, db.queue, async () => {
    await db.experiments.add(experiment)
    await db.queue.bulkAdd(items)
  })
  return experiment
}

export async function renameExperiment(id: string, name: string): Promise<void> {
  const trimmed = name.trim()
  if (trimmed) await db.experiments.update(id, { name: trimmed })
}

/** Sets a cell's winner mark or note, reading the marks in the same transaction so two quick edits both stay. */
export async function markCell(id: string, cell: CellRef, change: CellMarks): Promise<void> {
  await db.transaction('rw', db.experiments, async () => {
    const experiment = await db.experiments.get(id)
    if (!experiment) return
    const key = cellKey(cell)
    await db.experiments.update(id, { marks: { ...experiment.marks, [key]: { ...experiment.marks[key], ...change } } })
  })
}

/** Every experiment, newest first, live; undefined until the first read. */
export function useExperiments(): ExperimentRecord[] | undefined {
  return useLiveQuery(() => db.experiments.orderBy('createdAt').reverse().toArray(), [])
}

/** One experiment, live: undefined while reading, null when there is none with this id. */
export function useExperiment(id: string): ExperimentRecord | null | undefined {
  return useLiveQuery(async () => (await db.experiments.get(id)) ?? null, [id])
}

export interface ExperimentContents {
  tasks: TaskRecord[]
  /** Samples still in the studio (deleted ones left out), by task record id. */
  samples: Map<string, SampleRecord[]>
}

/** An experiment's tasks (oldest first) and their samples, live, read from IndexedDB only; undefined until read. */
export function useExperimentContents(id: string): ExperimentContents | undefined {
  return useLiveQuery(async () => {
    const tasks = await db.tasks.where('experimentId').equals(id).sortBy('createdAt')
    const samples = new Map<string, SampleRecord[]>()
    if (tasks.length) {
      const found = await db.samples
        .where('id')
        .anyOf(tasks.flatMap((t) => Array.from({ length: t.videoCount ?? 0 }, (_, i) => `${t.id}#${i}`)))
        .toArray()
      for (const s of found.sort((a, b) => a.index - b.index))
        if (s.deletedAt === undefined) samples.set(s.taskRecordId, [...(samples.get(s.taskRecordId) ?? []), s])
    }
    return { tasks, samples }
  }, [id])
}

/** Every task that belongs to an experiment (the index leaves the others out), live: the Experiments list counts them. */
export function useExperimentTasks(): TaskRecord[] | undefined {
  return useLiveQuery(() => db.tasks.orderBy('experimentId').toArray(), [])
}

/**
 * Re-run: one cell's request again, at the end of the submit queue. A failed queue item it replaces goes in the same
 * transaction, so the cell never shows the old failure and the new request at once.
 */
export async function rerunCell(
  entry: QueueEntry & { experimentId: string; cell: CellRef },
  replaces?: string,
  now = Date.now(),
): Promise<QueueItem> {
  const item = queueItem(entry, now)
  await db.transaction('rw', db.queue, async () => {
    if (replaces && (await db.queue.get(replaces))?.state === 'failed') await db.queue.delete(replaces)
    await db.queue.add(item)
  })
  return item
}

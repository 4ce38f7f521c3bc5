import type { CellRef, ExperimentRecord, QueueItem, TaskRecord } from '../../db/db'
import { cellKey } from '../../db/experiments'
import { formatWait, plural } from '../../lib/format'
import { ordinal } from './columns'

/*
 * Where each cell of a board stands, decided from what IndexedDB holds: the experiment's tasks (sent) and its queue
 * items (not sent yet). Pure, so the words a designer reads for every state are tested on known inputs.
 */

/** What a cell shows about its newest request; samples of earlier tasks stay in the cell either way. */
export type CellStatus =
  /** In the submit queue; `position` is its place among everything waiting (1 = next). */
  | { kind: 'waiting'; item: QueueItem; position: number }
  | { kind: 'sending'; item: QueueItem }
  /** The queue gave up on it (a request the provider refused for good). */
  | { kind: 'send-failed'; item: QueueItem }
  | { kind: 'rendering'; task: TaskRecord }
  | { kind: 'done'; task: TaskRecord }
  /** Finished, but the provider returned no video. */
  | { kind: 'empty'; task: TaskRecord }
  | { kind: 'failed'; task: TaskRecord }
  /** Neither sent nor waiting: Cancel sweep removed it before it left. */
  | { kind: 'cancelled' }

export interface CellActivity {
  /** Newest first: a Re-run's samples come before the earlier ones. */
  tasks: TaskRecord[]
  items: QueueItem[]
}

/** The experiment's tasks and queue items, by cell key ("row:col"). */
export function groupByCell(tasks: readonly TaskRecord[], items: readonly QueueItem[]): Map<string, CellActivity> {
  const out = new Map<string, CellActivity>()
  const at = (cell: CellRef) => {
    const key = cellKey(cell)
    let entry = out.get(key)
    if (!entry) out.set(key, (entry = { tasks: [], items: [] }))
    return entry
  }
  for (const t of tasks) if (t.cell) at(t.cell).tasks.push(t)
  for (const i of items) if (i.cell) at(i.cell).items.push(i)
  for (const entry of out.values()) {
    entry.tasks.sort((a, b) => b.createdAt - a.createdAt)
    entry.items.sort((a, b) => b.createdAt - a.createdAt)
  }
  return out
}

/** Each waiting item's place in the whole queue (sweeps and single runs share it), in sending order. */
export function queuePositions(queue: readonly QueueItem[]): Map<string, number> {
  const out = new Map<string, number>()
  for (const item of [...queue].sort((a, b) => a.createdAt - b.createdAt)) if (item.state === 'queued') out.set(item.id, out.size + 1)
  return out
}

/**
 * A cell's state: its newest request, whether still in the queue or already a task. A queue item older than the
 * newest task is a leftover, not news.
 */
export function cellStatus(activity: CellActivity | undefined, positions: ReadonlyMap<string, number>): CellStatus {
  const task = activity?.tasks[0]
  const item = activity?.items[0]
  if (item && (!task || item.createdAt >= task.createdAt)) {
    if (item.state === 'failed') return { kind: 'send-failed', item }
    if (item.state === 'sending') return { kind: 'sending', item }
    return { kind: 'waiting', item, position: positions.get(item.id) ?? 1 }
  }
  if (!task) return { kind: 'cancelled' }
  if (!task.finishedAt) return { kind: 'rendering', task }
  if (task.status === 'TASK_STATUS_FAILED') return { kind: 'failed', task }
  return task.videoCount ? { kind: 'done', task } : { kind: 'empty', task }
}

export interface ExperimentProgress {
  /** Tasks sent and requests still in the queue. */
  total: number
  done: number
  rendering: number
  sending: number
  waiting: number
  failed: number
  /** Cells with nothing sent and nothing waiting. */
  cancelled: number
  winners: number
}

/** The counts behind a board's progress line and a list item. */
export function experimentProgress(
  experiment: Pick<ExperimentRecord, 'rows' | 'columns' | 'marks'>,
  tasks: readonly TaskRecord[],
  items: readonly QueueItem[],
): ExperimentProgress {
  const finished = tasks.filter((t) => t.finishedAt)
  const cells = groupByCell(tasks, items)
  let cancelled = 0
  for (let row = 0; row < experiment.rows.length; row++)
    for (let col = 0; col < experiment.columns.length; col++) if (!cells.has(cellKey({ row, col }))) cancelled++
  return {
    total: tasks.length + items.length,
    done: finished.filter((t) => t.status !== 'TASK_STATUS_FAILED').length,
    rendering: tasks.length - finished.length,
    sending: items.filter((i) => i.state === 'sending').length,
    waiting: items.filter((i) => i.state === 'queued').length,
    failed: finished.filter((t) => t.status === 'TASK_STATUS_FAILED').length + items.filter((i) => i.state === 'failed').length,
    cancelled,
    winners: Object.values(experiment.marks).filter((m) => m.winner).length,
  }
}

/** "5 of 9 tasks done · 4 waiting to send": only the parts that are not zero after the first. */
export function progressLine(p: ExperimentProgress): string {
  const parts = [`${p.done} of ${plural(p.total, 'task')} done`]
  if (p.rendering) parts.push(`${p.rendering} rendering`)
  if (p.sending) parts.push(`${p.sending} sending`)
  if (p.waiting) parts.push(`${p.waiting} waiting to send`)
  if (p.failed) parts.push(`${p.failed} failed`)
  if (p.cancelled) parts.push(`${p.cancelled} cancelled`)
  return parts.join(' · ')
}

/** The latest moment the queue was asked to wait for (a 429), if it is still ahead. */
export function pausedUntil(items: readonly QueueItem[], now: number): number | undefined {
  const until = Math.max(0, ...items.filter((i) => i.state !== 'failed').map((i) => i.notBefore ?? 0))
  return until > now ? until : undefined
}

/** "20 s" or "3:55" (as the task strip says it): how long the 429 pause has left, rounded up so it never reads 0 while still paused. */
export function pauseLeft(until: number, now: number): string {
  return formatWait(Math.max(1, Math.ceil((until - now) / 1000)))
}

/** A waiting cell: "Waiting to send · 3rd in line" (the task strip's "Queued" is a task queued at the provider). */
export function waitingLine(position: number): string {
  return `Waiting to send · ${position === 1 ? 'next in line' : `${ordinal(position)} in line`}`
}

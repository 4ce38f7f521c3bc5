import type { CellRef, ExperimentRecord, QueueItem, TaskRecord } from '../../db/db'
import { cellKey } from '../../db/experiments'
import { formatWait, plural } from '../../lib/format'
import { requestStateCount, requestStateName, requestStateOf, type RequestState } from '../../lib/request-state'
import { ordinal } from './columns'

/*
 * Where each cell of a board stands, decided from what the library holds: the experiment's tasks (sent) and its
 * requests in the gateway's submit queue (not sent yet). Every state is named as src/lib/request-state.ts names it,
 * so the header, the cells, the list and the task strip say the same words. Pure, so the words a designer reads for
 * every state are tested on known inputs.
 */

/** What a cell shows about its newest request; samples of earlier tasks stay in the cell either way. */
export type CellStatus =
  /** In the submit queue (waiting its turn, or going out now); `position` is its place in line (1 = next). */
  | { kind: 'waiting'; item: QueueItem; position: number }
  /** The queue gave up on it (a request the provider refused for good). */
  | { kind: 'send-failed'; item: QueueItem }
  /** At the provider, not rendering yet. */
  | { kind: 'sent'; task: TaskRecord }
  | { kind: 'rendering'; task: TaskRecord }
  /** Done; its videos arrive in the library a moment after (the gateway keeps them first). */
  | { kind: 'done'; task: TaskRecord }
  /** Finished, but the provider returned no video. */
  | { kind: 'empty'; task: TaskRecord }
  | { kind: 'failed'; task: TaskRecord }
  /** Neither sent nor waiting: Cancel sweep took it back before it left. */
  | { kind: 'cancelled' }

export interface CellActivity {
  /** Newest first: a Re-run's samples come before the earlier ones. */
  tasks: TaskRecord[]
  /** Newest first. */
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

const isWaiting = (i: QueueItem) => i.state === 'queued' || i.state === 'sending'

/**
 * Each waiting item's place in the whole queue (sweeps and single runs share it). The queue comes in the gateway's
 * sending order (a single Generate ahead of a sweep), and the one going out now is next in line.
 */
export function queuePositions(queue: readonly QueueItem[]): Map<string, number> {
  const out = new Map<string, number>()
  for (const item of queue) if (isWaiting(item)) out.set(item.id, out.size + 1)
  return out
}

/** A task's state, as request-state names it. */
export const taskState = (t: TaskRecord): RequestState =>
  requestStateOf({ status: t.status, progressPercent: t.progressPercent, lost: t.lost })

/**
 * A cell's state: its newest request, whether still in the queue or already a task. A queue item older than the
 * newest task is a leftover, not news.
 */
export function cellStatus(activity: CellActivity | undefined, positions: ReadonlyMap<string, number>): CellStatus {
  const task = activity?.tasks[0]
  const item = activity?.items[0]
  if (item && (!task || item.createdAt >= task.createdAt)) {
    if (item.state === 'failed') return { kind: 'send-failed', item }
    return { kind: 'waiting', item, position: positions.get(item.id) ?? 1 }
  }
  if (!task) return { kind: 'cancelled' }
  const state = taskState(task)
  if (state === 'failed') return { kind: 'failed', task }
  if (state === 'done') return task.finishedAt && !task.videoCount ? { kind: 'empty', task } : { kind: 'done', task }
  return state === 'rendering' ? { kind: 'rendering', task } : { kind: 'sent', task }
}

export interface ExperimentProgress {
  /** Tasks sent and requests still in the queue (or refused by it). */
  total: number
  done: number
  sent: number
  rendering: number
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
  const cells = groupByCell(tasks, items)
  const newest = (cell: CellRef | undefined) => {
    const c = cell && cells.get(cellKey(cell))
    return Math.max(c?.tasks[0]?.createdAt ?? -Infinity, c?.items[0]?.createdAt ?? -Infinity)
  }
  // A refused request a Re-run has since replaced is no longer news: it counts no more.
  const counted = items.filter((i) => isWaiting(i) || i.createdAt >= newest(i.cell))
  const p: ExperimentProgress = {
    total: tasks.length + counted.length,
    done: 0,
    sent: 0,
    rendering: 0,
    waiting: 0,
    failed: 0,
    cancelled: 0,
    winners: 0,
  }
  for (const t of tasks) p[taskState(t) as 'done' | 'sent' | 'rendering' | 'failed']++
  for (const i of counted) p[isWaiting(i) ? 'waiting' : 'failed']++
  for (let row = 0; row < experiment.rows.length; row++)
    for (let col = 0; col < experiment.columns.length; col++) if (!cells.has(cellKey({ row, col }))) p.cancelled++
  p.winners = Object.values(experiment.marks).filter((m) => m.winner).length
  return p
}

/** The states a header counts after "n of m tasks done", in the order a request goes through them. */
const COUNTED: readonly Exclude<RequestState, 'done'>[] = ['sent', 'rendering', 'waiting', 'failed', 'cancelled']

/** Each state's count that is not zero, as request-state says it: "4 waiting to send", "1 failed". */
export const stateCounts = (p: ExperimentProgress) =>
  COUNTED.filter((s) => p[s] > 0).map((s) => ({ state: s, text: requestStateCount(s, p[s]) }))

/** "5 of 9 tasks done · 4 waiting to send": only the parts that are not zero after the first. */
export function progressLine(p: ExperimentProgress): string {
  return [`${p.done} of ${plural(p.total, 'task')} done`, ...stateCounts(p).map((c) => c.text)].join(' · ')
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

/** A waiting cell: "Waiting to send · 3rd in line". */
export function waitingLine(position: number): string {
  return `${requestStateName('waiting')} · ${position === 1 ? 'next in line' : `${ordinal(position)} in line`}`
}

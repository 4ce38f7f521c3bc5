import type { FinalStatus } from './engine-task.ts'

/*
 * The ETA a task result reports, in whole seconds. It matters because the studio paces its polling by it: a guess
 * far too long makes a finished task look stuck, one far too short polls for nothing. The first answer (QUEUED)
 * is the one a designer reads as a promise, so it counts everything the task will wait for:
 * - Queued, the workers take tasks in submit order (queuedEndMs): each task waits for a free worker and for its own
 *   queue pacing, whichever is later, then holds the worker for its turn, which is its render or the processing
 *   pacing, whichever is longer. The tasks ahead (rendering or waiting) count the same way.
 * - Rendering, the guess from past renders comes first; as progress comes in, the rate of this very render takes
 *   over (fully from 25 %: ffmpeg's first few percent say little about the rest). A guess that has run out still
 *   says a second, not zero, since zero means done. Neither ends before the pacing does.
 * Render time is learned per unit of cost, so one rate serves every size, length, frame count and sample count.
 */

/** Per sample, what ffmpeg spends whatever the size (start-up, decoding and fitting the stills), in cost units. */
const SAMPLE_OVERHEAD_UNITS = 2
/** A first and a last frame render two camera layers and blend them: measured at about 1.8 times one layer. */
const TWO_FRAME_FACTOR = 1.75

/** The render cost of a job, in megapixel-seconds of output (two-frame jobs weighted) plus a fixed part per sample. */
export function renderCost(job: {
  width: number
  height: number
  durationSeconds: number
  sampleCount: number
  twoFrames: boolean
}): number {
  const pixels = ((job.width * job.height) / 1e6) * job.durationSeconds * (job.twoFrames ? TWO_FRAME_FACTOR : 1)
  return (SAMPLE_OVERHEAD_UNITS + pixels) * job.sampleCount
}

/**
 * Milliseconds per unit of cost before any render has finished on this machine. The cost itself now counts the
 * per-sample overhead and the two-frame blend, so a 720p 4 s first/last task (8.5 units) is first promised 0:07 with
 * the default pacing; measured on the 2-core development box it took 0:03 idle and 0:15 under heavy load (the old
 * rule promised 0:04). Guessing higher makes the studio poll too rarely to show progress on a fast machine; after
 * the first render the learned rate takes over.
 */
export const FIRST_GUESS_MS_PER_UNIT = 600

/** The rate after a render of `cost` took `tookMs`: half the old, half the new, so one odd render does not swing it. */
export function learnRate(msPerUnit: number, tookMs: number, cost: number): number {
  return cost > 0 ? 0.5 * msPerUnit + 0.5 * (tookMs / cost) : msPerUnit
}

/** How long a task holds a worker once it starts: its render, but never less than the processing pacing. */
export const turnMs = (estimateMs: number, paceMs: number) => Math.max(estimateMs, paceMs)

/** A task waiting in the queue: the queue pacing it still owes, and its turn once it starts. */
export interface Waiting {
  paceLeftMs: number
  turnMs: number
}

/**
 * Milliseconds from now until the last of `waiting` (the queue in order, up to and including the task asked about)
 * ends: each starts on the first worker free, no sooner than its pacing allows. `runningLeftMs` is what the tasks
 * now rendering still need.
 */
export function queuedEndMs(runningLeftMs: readonly number[], waiting: readonly Waiting[], workers: number): number {
  const free = Array.from({ length: Math.max(1, workers) }, (_, i) => runningLeftMs[i] ?? 0)
  let end = 0
  for (const task of waiting) {
    free.sort((a, b) => a - b)
    end = Math.max(free[0] as number, task.paceLeftMs) + task.turnMs
    free[0] = end
  }
  return end
}

/** What the ETA is built from; `estimateMs` is the learned rate times the task's renderCost. */
export type EtaInput =
  | { status: 'TASK_STATUS_QUEUED'; runningLeftMs: readonly number[]; waiting: readonly Waiting[]; workers: number }
  | { status: 'TASK_STATUS_PROCESSING'; estimateMs: number; paceLeftMs: number; elapsedMs: number; fraction: number }
  | { status: FinalStatus }

/** Milliseconds a rendering task still needs (at least a second while its render has not reported the end). */
export function renderingLeftMs(input: Extract<EtaInput, { status: 'TASK_STATUS_PROCESSING' }>): number {
  const { estimateMs, paceLeftMs, elapsedMs, fraction } = input
  const prior = Math.max(1000, estimateMs - elapsedMs)
  const byRate = fraction > 0 ? (elapsedMs * (1 - fraction)) / fraction : prior
  const trust = Math.min(1, fraction / 0.25)
  const renderLeft = trust * byRate + (1 - trust) * prior
  // Never 0 while rendering: 0 means done, and a render at 100 % still has its file to finish.
  return Math.max(1000, renderLeft, paceLeftMs)
}

/** Seconds until the task ends; 0 once it has. */
export function etaSeconds(input: EtaInput): number {
  switch (input.status) {
    case 'TASK_STATUS_QUEUED':
      return Math.ceil(queuedEndMs(input.runningLeftMs, input.waiting, input.workers) / 1000)
    case 'TASK_STATUS_PROCESSING':
      return Math.ceil(renderingLeftMs(input) / 1000)
    default:
      return 0
  }
}

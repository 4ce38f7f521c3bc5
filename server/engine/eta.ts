import type { FinalStatus } from './engine-task.ts'

/*
 * The ETA a task result reports, in whole seconds. It matters because the studio paces its polling by it: a guess
 * far too long makes a finished task look stuck, one far too short polls for nothing.
 * - Queued, a task waits out its pacing, then its share of the renders ahead of it (spread over the workers), then
 *   its own render.
 * - Rendering, the guess from past renders comes first; as progress comes in, the rate of this very render takes
 *   over (fully from 25 %: ffmpeg's first few percent say little about the rest). A guess that has run out still
 *   says a second, not zero, since zero means done. Neither ends before the pacing does.
 * Render time is learned per unit of cost, so one rate serves every size, length and sample count.
 */

/** The render cost of a job, in megapixel-seconds of output over all its samples. */
export function renderCost(job: { width: number; height: number; durationSeconds: number; sampleCount: number }): number {
  return ((job.width * job.height) / 1e6) * job.durationSeconds * job.sampleCount
}

/** Milliseconds per unit of cost before any render has finished on this machine. */
export const FIRST_GUESS_MS_PER_UNIT = 600

/** The rate after a render of `cost` took `tookMs`: half the old, half the new, so one odd render does not swing it. */
export function learnRate(msPerUnit: number, tookMs: number, cost: number): number {
  return cost > 0 ? 0.5 * msPerUnit + 0.5 * (tookMs / cost) : msPerUnit
}

/** What the ETA is built from; `estimateMs` is the learned rate times the task's renderCost. */
export type EtaInput =
  | { status: 'TASK_STATUS_QUEUED'; estimateMs: number; paceLeftMs: number; ahead: number; workers: number }
  | { status: 'TASK_STATUS_PROCESSING'; estimateMs: number; paceLeftMs: number; elapsedMs: number; fraction: number }
  | { status: FinalStatus }

/** Seconds until the task ends; 0 once it has. */
export function etaSeconds(input: EtaInput): number {
  switch (input.status) {
    case 'TASK_STATUS_QUEUED': {
      const { estimateMs, paceLeftMs, ahead, workers } = input
      return Math.ceil((paceLeftMs + (ahead / workers) * estimateMs + estimateMs) / 1000)
    }
    case 'TASK_STATUS_PROCESSING': {
      const { estimateMs, paceLeftMs, elapsedMs, fraction } = input
      const prior = Math.max(1000, estimateMs - elapsedMs)
      const byRate = fraction > 0 ? (elapsedMs * (1 - fraction)) / fraction : prior
      const trust = Math.min(1, fraction / 0.25)
      const renderLeft = trust * byRate + (1 - trust) * prior
      return Math.ceil(Math.max(renderLeft, paceLeftMs) / 1000)
    }
    default:
      return 0
  }
}

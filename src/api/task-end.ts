import type { TaskStatus } from './schemas'

/** One successful poll, as the polling rule remembers it. */
export interface PollSample {
  /** ms since epoch, when the answer came. */
  at: number
  status: TaskStatus
  progress?: number | undefined
  /** Seconds left, as the provider said; not every provider sends it. */
  eta?: number | undefined
}

/**
 * When the task will end, and whether it was measured (an ETA, or the pace between two answers) or only guessed (the
 * pace since a start that is known only to lie in the gap before the first processing answer).
 */
export interface EndGuess {
  at: number
  measured: boolean
}

/**
 * When the task will end (ms since epoch), from what the polls have seen, oldest first; undefined when nothing
 * says so yet (queued with no ETA, or processing at 0 % with no ETA).
 *
 * An ETA wins when the provider sends one: the local engine's counts everything still to come (its queue, its pacing
 * and its render). Without one, progress tells the pace: between two processing answers that differ, the rate
 * between them; from a single one, the rate since the render began, which lies between the last answer that was
 * not processing yet (or the first poll) and this one: its middle is the best guess.
 */
export function predictedEnd(samples: readonly PollSample[]): EndGuess | undefined {
  const last = samples.at(-1)
  if (!last) return undefined
  if (last.eta !== undefined && last.eta > 0) return { at: last.at + last.eta * 1000, measured: true }
  if (last.status !== 'TASK_STATUS_PROCESSING' || !last.progress || last.progress <= 0) return undefined
  const p = Math.min(100, last.progress)
  // Progress comes in whole percents: the truth may lie up to one above. Aiming what is left at the middle errs early,
  // and an early poll only costs a poll, where a late one costs the designer time.
  const left = 100 - Math.min(100, p + 0.5)
  const processing = samples.filter((s) => s.status === 'TASK_STATUS_PROCESSING' && s.progress !== undefined)
  // The oldest processing answer with less progress: the longest baseline gives the steadiest rate.
  const earlier = processing.find((s) => s.at < last.at && (s.progress ?? 0) < p)
  if (earlier) {
    const rate = (p - (earlier.progress ?? 0)) / (last.at - earlier.at)
    return { at: last.at + left / rate, measured: true }
  }
  // The render began between the first processing answer and the answer before it, if any.
  const first = samples.findIndex((s) => s.status === 'TASK_STATUS_PROCESSING')
  const before = first > 0 ? samples[first - 1] : undefined
  if (!before) return undefined
  const began = (before.at + samples[first]!.at) / 2
  return { at: last.at + (left * (last.at - began)) / p, measured: false }
}

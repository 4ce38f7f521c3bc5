import { isApiError } from './errors'
import { isFinalStatus, type TaskResult } from './schemas'
import { predictedEnd, type PollSample } from './task-end'

/** The longest wait between two polls of a task that is fine: an ETA can be wrong, and a long one more so. */
export const MAX_POLL_MS = 20_000
/** Far from a measured end, the next poll comes after this share of the time left: each answer refines the end. */
const LEAD = 0.75
/**
 * Within this of a measured end, the next poll comes at the end, less this much: an ETA comes in whole seconds
 * (rounded up), so the true end lies up to a second before the one predicted. Then every half second, so the video
 * shows within a second of the end.
 */
const NEAR_END_MS = 8_000
const BEFORE_END_MS = 500
const MIN_NEAR_MS = 500
/** An end guessed from one answer is checked soon, by a second answer that measures the pace. */
const GUESS_CHECK_MS = 3_000
/**
 * Queued with no ETA: nothing tells when it starts, so the waits grow with its age, from 4 s to 15 s. (A render
 * shorter than that could start and end between two polls; Veo's take half a minute and more.)
 */
const QUEUED_MIN_MS = 4_000
const QUEUED_MAX_MS = 15_000
/** Each wait half as long again as the task's age: 4, 6, 15 s... */
const QUEUED_GROWTH = 1.5
/** Processing at 0 % with no ETA: the same, from 2 s to 10 s. */
const STARTING_MIN_MS = 2_000
const STARTING_MAX_MS = 10_000
const FIRST_BACKOFF_MS = 1_000
const MAX_BACKOFF_MS = 30_000
/** Each back-off is drawn from ±25 % around its step, so tasks that failed together do not retry in step. */
const JITTER = 0.25
/**
 * Failed polls in a row (5xx, timeouts, garbled answers) before a task needs attention: about two minutes of
 * trouble (1 + 2 + 4 + 8 + 16 + 30 + 30 s). A network that is gone does not count: that is being offline, and
 * polling pauses for it instead (see connectivity.ts).
 */
export const POLL_FAILURE_LIMIT = 8
/** A background tab keeps polling, at a third of the pace. */
const HIDDEN_FACTOR = 3

interface PollState {
  data: TaskResult | undefined
  error: unknown
  /** Consecutive failed polls. */
  failures: number
  hidden: boolean
  /** A number in [0, 1) for the jitter; Math.random unless a test fixes it. */
  random?: () => number
  /** What this task's polls have seen, oldest first; by default only the last answer, seen now. */
  samples?: readonly PollSample[] | undefined
  now?: number
}

/** The provider or the gateway failed in a way waiting may fix, but it has failed too often in a row to go on. */
export function pollGaveUp(error: unknown, failures: number): boolean {
  return isApiError(error) && error.transient && error.kind !== 'network' && failures >= POLL_FAILURE_LIMIT
}

/**
 * How long until the next poll, or false to stop. Few polls, and the video seen at once: the rule aims at the
 * task's predicted end (task-end.ts: its ETA, or the pace of its progress), a share of the time left at a time,
 * then just after the end; with nothing to predict from, the waits grow with the task's age. It backs off on rate
 * limits and server trouble (exponentially, with jitter, honouring Retry-After), and stops on a final status, on an
 * error that waiting will not fix, or after too many failures.
 */
export function nextPollDelay(state: PollState): number | false {
  const { data, error, failures, hidden, random = Math.random, now = Date.now() } = state
  if (data && isFinalStatus(data.task.status)) return false
  let delay: number
  if (error && failures > 0) {
    if (isApiError(error) && !error.transient) return false
    if (pollGaveUp(error, failures)) return false
    const step = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (failures - 1))
    const backoff = Math.round(step * (1 - JITTER + 2 * JITTER * random()))
    const retryAfter = isApiError(error) && error.retryAfter !== undefined ? error.retryAfter * 1000 : 0
    delay = Math.max(backoff, retryAfter)
  } else {
    delay = aimedDelay(state.samples ?? (data ? [sampleOf(data, now)] : []), now)
  }
  return hidden ? Math.min(delay * HIDDEN_FACTOR, Math.max(delay, MAX_BACKOFF_MS)) : delay
}

/** The wait while all is well: at the predicted end, or growing with the task's age while nothing predicts it. */
function aimedDelay(samples: readonly PollSample[], now: number): number {
  const end = predictedEnd(samples)
  if (end !== undefined) {
    const left = end.at - now
    if (!end.measured) return clamp(Math.round(left / 2), MIN_NEAR_MS, GUESS_CHECK_MS)
    return left > NEAR_END_MS ? Math.min(MAX_POLL_MS, Math.round(left * LEAD)) : Math.max(MIN_NEAR_MS, Math.round(left - BEFORE_END_MS))
  }
  const started = samples.find((s) => s.status === 'TASK_STATUS_PROCESSING')
  if (started) return clamp(now - started.at, STARTING_MIN_MS, STARTING_MAX_MS)
  return clamp(samples.length ? (now - samples[0]!.at) * QUEUED_GROWTH : 0, QUEUED_MIN_MS, QUEUED_MAX_MS)
}

/**
 * The submit's answer as the rule's first sample: the task exists and waits its turn (a submit answers only its id).
 * Counting it saves the poll that would only learn that, right after the submit: the first poll comes when the
 * rule's first wait has passed (4 s), and the waits of a queued task grow from the submit.
 */
export const submittedSample = (at: number): PollSample => ({ at, status: 'TASK_STATUS_QUEUED' })

/** A poll's answer as the rule remembers it. */
export const sampleOf = (data: TaskResult, at: number): PollSample => ({
  at,
  status: data.task.status,
  progress: data.task.progress_percent,
  eta: data.task.eta,
})

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))

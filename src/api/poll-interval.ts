import { isApiError } from './errors'
import { isFinalStatus, type TaskResult } from './schemas'

export const MIN_POLL_MS = 1_000
export const MAX_POLL_MS = 15_000
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
}

/** The provider or the gateway failed in a way waiting may fix, but it has failed too often in a row to go on. */
export function pollGaveUp(error: unknown, failures: number): boolean {
  return isApiError(error) && error.transient && error.kind !== 'network' && failures >= POLL_FAILURE_LIMIT
}

/**
 * How long until the next poll, or false to stop. Follows the task's ETA while it runs (polling more
 * often as it nears the end), backs off on rate limits and server trouble (exponentially, with jitter, honouring
 * Retry-After), and stops on a final status, on an error that waiting will not fix, or after too many failures.
 */
export function nextPollDelay({ data, error, failures, hidden, random = Math.random }: PollState): number | false {
  if (data && isFinalStatus(data.task.status)) return false
  let delay: number
  if (error && failures > 0) {
    if (isApiError(error) && !error.transient) return false
    if (pollGaveUp(error, failures)) return false
    const step = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (failures - 1))
    const backoff = Math.round(step * (1 - JITTER + 2 * JITTER * random()))
    const retryAfter = isApiError(error) && error.retryAfter !== undefined ? error.retryAfter * 1000 : 0
    delay = Math.max(backoff, retryAfter)
  } else if (data?.task.eta !== undefined && data.task.eta > 0) {
    delay = clamp((data.task.eta * 1000) / 4, MIN_POLL_MS, MAX_POLL_MS)
  } else if (data?.task.status === 'TASK_STATUS_PROCESSING') {
    // No ETA: progress decides; near the end, look more often.
    const percent = data.task.progress_percent ?? 0
    delay = percent >= 80 ? MIN_POLL_MS : 2_000
  } else {
    delay = 3_000
  }
  return hidden ? Math.min(delay * HIDDEN_FACTOR, Math.max(delay, MAX_BACKOFF_MS)) : delay
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))

import { isApiError } from './errors'
import { isFinalStatus, type TaskResult } from './schemas'

export const MIN_POLL_MS = 1_000
export const MAX_POLL_MS = 15_000
const MAX_BACKOFF_MS = 60_000
/** A background tab keeps polling, at a third of the pace. */
const HIDDEN_FACTOR = 3

interface PollState {
  data: TaskResult | undefined
  error: unknown
  /** Consecutive failed polls. */
  failures: number
  hidden: boolean
}

/**
 * How long until the next poll, or false to stop. Follows the task's ETA while it runs (polling more
 * often as it nears the end), backs off on rate limits and server trouble (honouring Retry-After), and
 * stops on a final status or on an error that waiting will not fix.
 */
export function nextPollDelay({ data, error, failures, hidden }: PollState): number | false {
  if (data && isFinalStatus(data.task.status)) return false
  let delay: number
  if (error && failures > 0) {
    if (isApiError(error) && !error.transient) return false
    const backoff = Math.min(MAX_BACKOFF_MS, 2_000 * 2 ** (failures - 1))
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

import { RateLimiter } from '@tanstack/pacer'

/** The provider's limit is per minute. */
export const PACING_WINDOW_MS = 60_000
/**
 * The window the queue keeps is a little longer than the provider's: a send leaves here some milliseconds before it
 * arrives there, and uneven upload times must not put limit + 1 arrivals inside one of the provider's minutes.
 */
export const PACING_MARGIN_MS = 500

export interface PacingInput {
  /** When each request of the recent past left the studio (tasks' sentAt, and queue items already sent). */
  sentTimes: readonly number[]
  /** Requests per window; below 1 counts as 1. */
  limit: number
  now: number
  /** The latest moment a 429 asked the queue to wait until, if any. */
  notBefore?: number | undefined
  windowMs?: number
}

export interface Pacing {
  /** How long to wait before the next send; 0: send now. */
  waitMs: number
  /** What holds the next send back. */
  reason: 'ready' | 'window' | 'paused'
  /** Sends counted in the current window. */
  inWindow: number
}

const cleanLimit = (limit: number) => (Number.isFinite(limit) ? Math.max(1, Math.floor(limit)) : 1)

/**
 * How long to wait before the next send, so that no window ever holds more than `limit` sends, and never before a
 * 429's pause ends. The window arithmetic is @tanstack/pacer's sliding RateLimiter, seeded with the sends read from
 * IndexedDB (so a reload or another tab's sends count), asked and thrown away: the queue's memory is the database.
 */
export function nextSend({ sentTimes, limit, now, notBefore, windowMs = PACING_WINDOW_MS }: PacingInput): Pacing {
  const max = cleanLimit(limit)
  const recent = sentTimes.filter((t) => t > now - windowMs).sort((a, b) => a - b)
  // Only the newest `limit` sends decide when a place frees up: pacer waits for its oldest, which must be the
  // (n - limit + 1)-th oldest when the limit was lowered below what the window already holds.
  const deciding = recent.slice(-max)
  // pacer reads the clock itself: shift the sends onto its clock, so `now` is honoured and this stays a function of
  // its input.
  const offset = Date.now() - now
  const limiter = new RateLimiter(() => {}, {
    limit: max,
    window: windowMs,
    windowType: 'sliding',
    initialState: { executionTimes: deciding.map((t) => t + offset) },
  })
  const full = limiter.getRemainingInWindow() === 0
  const pacerWait = full ? limiter.getMsUntilNextWindow() : 0
  // The clock moved while pacer read it: never wait less than the exact answer (it would be a send too early).
  const drift = Date.now() - now - offset
  const windowWait = full ? Math.max(0, Math.ceil(pacerWait + drift)) : 0
  // The limiter sets a clean-up timer per send; reset clears them, so nothing outlives this call.
  limiter.reset()
  const pauseWait = notBefore !== undefined && notBefore > now ? notBefore - now : 0
  if (pauseWait === 0 && windowWait === 0) return { waitMs: 0, reason: 'ready', inWindow: recent.length }
  return pauseWait >= windowWait
    ? { waitMs: pauseWait, reason: 'paused', inWindow: recent.length }
    : { waitMs: windowWait, reason: 'window', inWindow: recent.length }
}

/**
 * When the next `count` sends would go, if each went the moment it may (the queue's estimate for its status lines;
 * a real send takes a little longer, so these are the earliest times).
 */
export function sendSchedule(input: PacingInput, count: number): number[] {
  const times = [...input.sentTimes]
  const at: number[] = []
  let now = input.now
  for (let i = 0; i < count; i++) {
    now += nextSend({ ...input, sentTimes: times, now }).waitMs
    at.push(now)
    times.push(now)
  }
  return at
}

import type { ErrorReason } from './schemas'

export type ApiErrorKind = 'http' | 'network' | 'timeout' | 'parse'

/**
 * Every failure of a call to the gateway, typed so callers can decide: retry later (429, 5xx, network),
 * fix the request (400), or fix the key (401/403).
 */
export class ApiError extends Error {
  readonly kind: ApiErrorKind
  readonly status: number | undefined
  readonly reason: ErrorReason | string | undefined
  /** Seconds, when the server sent Retry-After. */
  readonly retryAfter: number | undefined

  constructor(init: { kind: ApiErrorKind; message: string; status?: number; reason?: string; retryAfter?: number }) {
    super(init.message)
    this.name = 'ApiError'
    this.kind = init.kind
    this.status = init.status
    this.reason = init.reason
    this.retryAfter = init.retryAfter
  }

  /** Worth trying again without changing anything: rate limits, server trouble, a dropped connection, a garbled answer. */
  get transient(): boolean {
    return this.kind !== 'http' || this.status === 429 || (this.status !== undefined && this.status >= 500)
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - now) / 1000))
}

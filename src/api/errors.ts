import type { ErrorBody, ErrorReason } from './schemas'

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
  /**
   * The technical part of a gateway error (metadata.detail: an error code, a status, a field name). The gateway
   * then words `message` plainly itself; the provider's own errors come without one.
   */
  readonly detail: string | undefined

  constructor(init: { kind: ApiErrorKind; message: string; status?: number; reason?: string; retryAfter?: number; detail?: string }) {
    super(init.message)
    this.name = 'ApiError'
    this.kind = init.kind
    this.status = init.status
    this.reason = init.reason
    this.retryAfter = init.retryAfter
    this.detail = init.detail
  }

  /** Worth trying again without changing anything: rate limits, server trouble, a dropped connection, a garbled answer. */
  get transient(): boolean {
    return this.kind !== 'http' || this.status === 429 || (this.status !== undefined && this.status >= 500)
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError

/** metadata.detail of an error body, when it is text. */
export const detailOf = (metadata: Record<string, unknown> | null | undefined): string | undefined =>
  typeof metadata?.detail === 'string' && metadata.detail.trim() !== '' ? metadata.detail : undefined

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - now) / 1000))
}

/**
 * An answer that is not ok, as the studio reads it: the contract's body (empty when it had none), else the status
 * line. The one reading of an error answer, so an error the gateway passes on inside its own answer (the provider
 * status) is worded exactly as the same error met directly.
 */
export function httpError(status: number, statusText: string, body: ErrorBody, retryAfter: string | null | undefined): ApiError {
  return new ApiError({
    kind: 'http',
    status,
    reason: body.reason,
    message: body.message || `The server answered ${status} ${statusText}`.trim(),
    retryAfter: parseRetryAfter(retryAfter ?? null),
    detail: detailOf(body.metadata),
  })
}

/** What a person reads: a plain sentence with the way out, and the technical words (codes, fields) for Details. */
export interface ErrorWords {
  message: string
  details: string | undefined
  /** Where the way out is, when it is a place in the studio: a key refused is fixed in Settings. */
  fix?: 'settings' | undefined
  /** Which account fault it is, for the words when the gateway holds the key (see wordsWithServerKey). */
  account?: AccountFault | undefined
}

/** The 401/403 faults of the jiekou.ai account: the key, the credit, or what the account may do. */
export type AccountFault = 'key' | 'credit' | 'access'

const ACCOUNT_FAULTS: Partial<Record<ErrorReason, AccountFault>> = {
  INVALID_API_KEY: 'key',
  FAILED_TO_AUTH: 'key',
  NOT_ENOUGH_BALANCE: 'credit',
  ACCESS_DENY: 'access',
}

/**
 * Plain words per reason, for the provider's own errors, whose messages are written for developers ("invalid
 * api key", "duration_seconds must be 8"). Their words still show, under Details.
 */
const PLAIN: Partial<Record<ErrorReason, string>> = {
  INVALID_API_KEY: 'The jiekou.ai key was refused. Check it in Settings.',
  FAILED_TO_AUTH: 'The jiekou.ai key was refused. Check it in Settings.',
  NOT_ENOUGH_BALANCE: 'The jiekou.ai account is out of credit. Top it up, then try again.',
  ACCESS_DENY: 'jiekou.ai does not allow this for your account. Change the settings, or ask jiekou.ai for access.',
  INVALID_REQUEST_BODY: 'The provider refused these settings. Details says which.',
  MODEL_NOT_FOUND: 'The provider does not offer this model right now. Try the other model.',
  TASK_NOT_FOUND: 'The provider no longer knows this task. Generate it again.',
  ILLEGAL_PROMPT: 'The provider refused the prompt. Reword it, then try again.',
  ILLEGAL_IMAGE_CONTENT: 'The provider refused a frame. Use another picture.',
  RATE_LIMIT_EXCEEDED: 'The provider is busy: too many requests for now. Wait a moment, then try again.',
  TOKEN_LIMIT_EXCEEDED: 'The provider is busy: too many requests for now. Wait a moment, then try again.',
  SERVICE_NOT_AVAILABLE: 'The provider is not available right now. Try again in a few minutes.',
  TASK_FAILED: 'The provider could not finish this. Try again.',
  UPSTREAM_UNREACHABLE: "jiekou.ai can't be reached right now. Check your connection, then try again.",
}

const SERVER_ACCOUNT_WORDS: Record<AccountFault, string> = {
  key: "The gateway's jiekou.ai key was refused. Ask whoever runs the gateway to check JIEKOU_API_KEY.",
  credit: "The gateway's jiekou.ai account is out of credit. Ask whoever runs the gateway to top it up.",
  access:
    "jiekou.ai does not allow this for the gateway's account. Change the settings, or ask whoever runs the gateway to ask jiekou.ai for access.",
}

/**
 * An account fault when the gateway holds the key (JIEKOU_API_KEY): the designer has no key or account to fix in
 * Settings, so the words name who can fix it instead, and there is no Settings button.
 */
export function wordsWithServerKey(words: ErrorWords): ErrorWords {
  if (!words.account) return words
  return { message: SERVER_ACCOUNT_WORDS[words.account], details: words.details, account: words.account }
}

const lines = (...parts: (string | undefined | false)[]) => parts.filter((p): p is string => Boolean(p)).join('\n') || undefined

/** The plain sentence and the details for any error the studio shows. */
export function describeError(e: unknown): ErrorWords {
  if (!isApiError(e)) {
    // The studio's own errors (a frame no longer stored, a model gone) are written for designers already.
    const text = e instanceof Error ? e.message : typeof e === 'string' ? e : undefined
    return { message: text || 'Something went wrong. Try again.', details: undefined }
  }
  switch (e.kind) {
    case 'network':
      return {
        message: "The studio can't reach its gateway. Check that it is still running, then try again.",
        details: e.message,
      }
    case 'timeout':
      return { message: 'The gateway did not answer in time. Try again in a moment.', details: e.message }
    case 'parse':
      return {
        message: 'The studio could not read the answer. Try again; if it keeps happening, see the gateway log.',
        details: lines(e.status !== undefined && `HTTP ${e.status}`, e.message),
      }
    case 'http': {
      const code = lines(`${e.reason ?? 'HTTP error'}${e.status !== undefined ? ` (HTTP ${e.status})` : ''}`)
      const wait = e.retryAfter !== undefined && e.retryAfter > 0 ? ` The provider asks for ${Math.ceil(e.retryAfter)} s.` : ''
      // A gateway error with a detail is worded plainly already: keep its sentence, file the detail.
      if (e.detail !== undefined) return { message: e.message, details: lines(code, e.detail) }
      // A 429 without a reason is still a rate limit.
      const plain = PLAIN[(e.reason ?? (e.status === 429 ? 'RATE_LIMIT_EXCEEDED' : '')) as ErrorReason]
      if (plain) {
        // An account fault stops everything until the designer acts: the key, or the account behind it, in Settings.
        const account = ACCOUNT_FAULTS[e.reason as ErrorReason]
        return { message: plain + wait, details: lines(code, e.message), ...(account && { fix: 'settings' as const, account }) }
      }
      if (e.status !== undefined && e.status >= 500)
        return { message: 'The provider had a problem. Try again in a moment.' + wait, details: lines(code, e.message) }
      return { message: e.message, details: code }
    }
  }
}

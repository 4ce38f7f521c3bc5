import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ErrorBody, ErrorReason } from '../src/api/schemas.ts'
import type { FetchFailure } from './fetch-with-timeout.ts'

/*
 * Every error the gateway answers is JSON in the contract's shape, {code, reason, message, metadata}, so the studio
 * reads the local engine's errors, the forwarder's own and the provider's with one parser. A handler either returns
 * contractErrorResponse(...) or throws a ContractError that its onError turns into one.
 */

/** A contract error, thrown where answering directly is not at hand (validation deep inside a submit). */
export class ContractError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly reason: ErrorReason,
    message: string,
    readonly metadata: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

/** A 400 INVALID_REQUEST_BODY: the sender can fix the body, and the message says how. */
export const invalidRequestBody = (message: string) => new ContractError(400, 'INVALID_REQUEST_BODY', message)

export function contractErrorResponse(
  c: Context,
  status: ContentfulStatusCode,
  reason: ErrorReason,
  message: string,
  metadata: Record<string, unknown> = {},
) {
  return c.json({ code: status, reason, message, metadata } satisfies ErrorBody, status)
}

/** The reason we give an upstream error that came without a contract body, so the client can still branch on it. */
export function reasonForStatus(status: number): ErrorReason {
  if (status === 401) return 'FAILED_TO_AUTH'
  if (status === 403) return 'ACCESS_DENY'
  if (status === 404) return 'NOT_FOUND'
  if (status === 413) return 'PAYLOAD_TOO_LARGE'
  if (status === 429) return 'RATE_LIMIT_EXCEEDED'
  if (status === 502 || status === 504) return 'UPSTREAM_UNREACHABLE'
  if (status >= 500) return 'SERVICE_NOT_AVAILABLE'
  return 'INVALID_REQUEST_BODY'
}

/**
 * 504 when the upstream's time ran out (the limit goes in metadata), 502 when it could not be reached at all. The
 * message is the plain sentence; `detail` (metadata.detail) holds the codes and settings a developer needs.
 */
export function upstreamFailureResponse(c: Context, failure: FetchFailure, message: string, detail?: string) {
  const withDetail = detail === undefined ? {} : { detail }
  return failure.kind === 'timeout'
    ? contractErrorResponse(c, 504, 'UPSTREAM_UNREACHABLE', message, { timeoutMs: failure.timeoutMs, ...withDetail })
    : contractErrorResponse(c, 502, 'UPSTREAM_UNREACHABLE', message, withDetail)
}

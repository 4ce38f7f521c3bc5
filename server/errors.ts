import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ErrorBody, ErrorReason } from '../src/api/schemas.ts'

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

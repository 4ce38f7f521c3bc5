import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ErrorBody, ErrorReason } from '../src/api/schemas.ts'

/** Every error the gateway answers is JSON in the contract's shape: {code, reason, message, metadata}. */
export class ContractError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly reason: ErrorReason,
    message: string,
    readonly metadata: Record<string, unknown> = {},
  ) {
    super(message)
  }

  toBody(): ErrorBody {
    return { code: this.status, reason: this.reason, message: this.message, metadata: this.metadata }
  }
}

export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  reason: ErrorReason,
  message: string,
  metadata: Record<string, unknown> = {},
) {
  return c.json({ code: status, reason, message, metadata } satisfies ErrorBody, status)
}

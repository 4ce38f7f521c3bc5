import type { Context } from 'hono'
import { contractErrorResponse } from '../errors.ts'

/*
 * A provider's refusals of a submit, asked of the local engine by a marker in the prompt (as [engine:fail] asks for a
 * failed render), so the studio's answers to them can be tried end to end on the local engine, with the gateway's
 * runner doing the sending and every test in its own workspace:
 *   [engine:busy]        the first submit of each request (by its Idempotency-Key) is a 429 with Retry-After, as a
 *                        provider under load answers; the same request sent again is taken.
 *   [engine:refuse-key]  every submit is a 403 INVALID_API_KEY, as jiekou.ai answers a key it does not know.
 */

export const BUSY_MARKER = '[engine:busy]'
export const REFUSE_KEY_MARKER = '[engine:refuse-key]'
export const BUSY_RETRY_AFTER_SECONDS = 5

/** The refusal a submit's prompt asks for, or undefined. Keeps which requests it has refused once. */
export function submitFaults(): (c: Context, prompt: string) => Response | undefined {
  const refused = new Set<string>()
  return (c, prompt) => {
    if (prompt.includes(REFUSE_KEY_MARKER)) return contractErrorResponse(c, 403, 'INVALID_API_KEY', 'invalid api-key')
    const key = c.req.header('idempotency-key')
    if (!prompt.includes(BUSY_MARKER) || !key || refused.has(key)) return undefined
    refused.add(key)
    c.header('Retry-After', String(BUSY_RETRY_AFTER_SECONDS))
    return contractErrorResponse(c, 429, 'RATE_LIMIT_EXCEEDED', `Local engine: a 429 asked by ${BUSY_MARKER} in the prompt.`)
  }
}

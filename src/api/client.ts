import type { z } from 'zod'
import type { ModelSpec } from '../models/types'
import { ApiError, parseRetryAfter } from './errors'
import { TASK_RESULT_PATH, errorBodySchema, submitResponseSchema, taskResultSchema, type SubmitResponse, type TaskResult } from './schemas'

export type ProviderId = 'local' | 'jiekou'

/** The browser only ever talks to our gateway: one base per provider. */
export const PROVIDER_BASE: Record<ProviderId, string> = {
  local: '/api/local',
  jiekou: '/api/jiekou',
}

export interface Connection {
  provider: ProviderId
  /** Sent as a Bearer token to the gateway, which uses it only when it holds no key of its own. */
  apiKey?: string | undefined
}

interface CallOptions {
  signal?: AbortSignal | undefined
  timeoutMs?: number
}

const DEFAULT_TIMEOUT_MS = 30_000
/** Submits carry up to two 20 MB frames: give slow uplinks time. */
const SUBMIT_TIMEOUT_MS = 180_000

async function call<T>(conn: Connection, path: string, init: RequestInit, schema: z.ZodType<T>, opts: CallOptions = {}): Promise<T> {
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout
  const headers = new Headers(init.headers)
  headers.set('Accept', 'application/json')
  if (conn.provider === 'jiekou' && conn.apiKey) headers.set('Authorization', `Bearer ${conn.apiKey}`)

  let response: Response
  try {
    response = await fetch(new URL(PROVIDER_BASE[conn.provider] + path, globalThis.location.href), { ...init, headers, signal })
  } catch (e) {
    if (opts.signal?.aborted) throw e
    if (timeout.aborted) throw new ApiError({ kind: 'timeout', message: 'The gateway did not answer in time.' })
    throw new ApiError({ kind: 'network', message: 'Could not reach the gateway. Check that it is running and you are online.' })
  }

  const text = await response.text()
  let json: unknown
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }

  if (!response.ok) {
    const body = errorBodySchema.safeParse(json)
    const parsed = body.success ? body.data : {}
    throw new ApiError({
      kind: 'http',
      status: response.status,
      reason: parsed.reason,
      message: parsed.message || `The server answered ${response.status} ${response.statusText}`.trim(),
      retryAfter: parseRetryAfter(response.headers.get('Retry-After')),
    })
  }
  const result = schema.safeParse(json)
  if (!result.success)
    throw new ApiError({ kind: 'parse', status: response.status, message: 'The server sent an answer the studio cannot read.' })
  return result.data
}

export function submit(conn: Connection, model: ModelSpec, body: Record<string, unknown>, opts: CallOptions = {}): Promise<SubmitResponse> {
  return call(
    conn,
    model.path,
    { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } },
    submitResponseSchema,
    { timeoutMs: SUBMIT_TIMEOUT_MS, ...opts },
  )
}

export function getTaskResult(conn: Connection, taskId: string, opts: CallOptions = {}): Promise<TaskResult> {
  return call(conn, `${TASK_RESULT_PATH}?task_id=${encodeURIComponent(taskId)}`, { method: 'GET' }, taskResultSchema, opts)
}

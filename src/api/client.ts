import * as z from 'zod/mini'
import type { ModelSpec } from '../models/types'
import { noteGatewayAnswered, noteGatewayUnreachable } from './connectivity'
import { ApiError, httpError } from './errors'
import { GATEWAY_CONFIG_PATH, PROVIDER_BASE, type ProviderId } from './gateway-urls'
import {
  PROVIDER_STATUS_PATH,
  TASK_RESULT_PATH,
  errorBodySchema,
  gatewayConfigSchema,
  providerStatusSchema,
  submitResponseSchema,
  taskResultSchema,
  type GatewayConfig,
  type ProviderStatusAnswer,
  type SubmitResponse,
  type TaskResult,
} from './schemas'

export interface Connection {
  provider: ProviderId
  /** Sent as a Bearer token to the gateway, which uses it only when it holds no key of its own. */
  apiKey?: string | undefined
}

export interface CallOptions {
  signal?: AbortSignal | undefined
  timeoutMs?: number
}

const DEFAULT_TIMEOUT_MS = 30_000
/** Submits carry up to two 20 MB frames: give slow uplinks time. */
const SUBMIT_TIMEOUT_MS = 180_000

/** The one fetch wrapper: a path on our gateway, a timeout, typed errors, and an answer checked by its schema. */
async function call<T>(path: string, init: RequestInit, schema: z.ZodMiniType<T>, opts: CallOptions = {}): Promise<T> {
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout
  const headers = new Headers(init.headers)
  headers.set('Accept', 'application/json')

  let response: Response
  try {
    response = await fetch(new URL(path, globalThis.location.href), { ...init, headers, signal })
  } catch (e) {
    if (opts.signal?.aborted) throw e
    if (timeout.aborted) throw new ApiError({ kind: 'timeout', message: 'The gateway did not answer in time.' })
    // No gateway: the studio is as good as offline until it answers again (requests wait, a probe looks for it).
    noteGatewayUnreachable()
    throw new ApiError({ kind: 'network', message: 'Could not reach the gateway. Check that it is running and you are online.' })
  }
  noteGatewayAnswered()

  const text = await response.text()
  let json: unknown
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }

  if (!response.ok) {
    const body = errorBodySchema.safeParse(json)
    throw httpError(response.status, response.statusText, body.success ? body.data : {}, response.headers.get('Retry-After'))
  }
  const result = schema.safeParse(json)
  if (!result.success)
    throw new ApiError({ kind: 'parse', status: response.status, message: 'The server sent an answer the studio cannot read.' })
  return result.data
}

/** A call to one provider through the gateway: under its base, with the designer's key when it goes to jiekou.ai. */
function callProvider<T>(conn: Connection, path: string, init: RequestInit, schema: z.ZodMiniType<T>, opts: CallOptions = {}): Promise<T> {
  const headers = new Headers(init.headers)
  if (conn.provider === 'jiekou' && conn.apiKey) headers.set('Authorization', `Bearer ${conn.apiKey}`)
  return call(PROVIDER_BASE[conn.provider] + path, { ...init, headers }, schema, opts)
}

export interface SubmitOptions extends CallOptions {
  /**
   * Sent as Idempotency-Key: the gateway answers a repeat with the same key with the first answer, so a send made
   * again after a reload cut it short never makes a second task.
   */
  idempotencyKey?: string | undefined
}

export function submit(
  conn: Connection,
  model: ModelSpec,
  body: Record<string, unknown>,
  { idempotencyKey, ...opts }: SubmitOptions = {},
): Promise<SubmitResponse> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey
  return callProvider(conn, model.path, { method: 'POST', body: JSON.stringify(body), headers }, submitResponseSchema, {
    timeoutMs: SUBMIT_TIMEOUT_MS,
    ...opts,
  })
}

/**
 * What became of a submit sent with this Idempotency-Key: its task id when the gateway has the answer (waiting while
 * it is still being sent), undefined when it has none (the send never arrived, or was refused with a 429). A submit
 * the gateway refused for good throws, as the submit would have.
 */
export async function lookupSubmit(conn: Connection, idempotencyKey: string, opts: CallOptions = {}): Promise<SubmitResponse | undefined> {
  return callProvider(conn, `/idempotency/${encodeURIComponent(idempotencyKey)}`, { method: 'GET' }, z.optional(submitResponseSchema), {
    timeoutMs: SUBMIT_TIMEOUT_MS,
    ...opts,
  })
}

export function getTaskResult(conn: Connection, taskId: string, opts: CallOptions = {}): Promise<TaskResult> {
  return callProvider(conn, `${TASK_RESULT_PATH}?task_id=${encodeURIComponent(taskId)}`, { method: 'GET' }, taskResultSchema, opts)
}

/** The gateway's check of the provider (with the designer's key when it is jiekou.ai): always an answer, never a 404. */
export function getProviderStatus(conn: Connection, opts: CallOptions = {}): Promise<ProviderStatusAnswer> {
  return callProvider(conn, PROVIDER_STATUS_PATH, { method: 'GET' }, providerStatusSchema, opts)
}

export function getGatewayConfig(opts: CallOptions = {}): Promise<GatewayConfig> {
  return call(GATEWAY_CONFIG_PATH, { method: 'GET' }, gatewayConfigSchema, opts)
}

/** A GET on the gateway's own API (not a provider's), through the one wrapper: typed errors, checked answer. */
export function gatewayGet<T>(path: string, schema: z.ZodMiniType<T>, opts: CallOptions = {}): Promise<T> {
  return call(path, { method: 'GET' }, schema, opts)
}

/**
 * A write to the gateway's own API: JSON in (when there is a body), JSON out, through the one wrapper. A Blob body
 * goes as it is, with its own type (frames and videos, by their SHA-256).
 */
export function gatewaySend<T>(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body: unknown,
  schema: z.ZodMiniType<T>,
  opts: CallOptions = {},
): Promise<T> {
  const init: RequestInit = { method }
  if (body instanceof Blob) {
    init.body = body
    init.headers = { 'Content-Type': body.type || 'application/octet-stream' }
  } else if (body !== undefined) {
    init.body = JSON.stringify(body)
    init.headers = { 'Content-Type': 'application/json' }
  }
  return call(path, init, schema, opts)
}

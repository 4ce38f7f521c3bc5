import { FetchFailure, fetchWithTimeout } from '../../fetch-with-timeout.ts'
import { ApiError, httpError } from '../../../src/api/errors.ts'
import { errorBodySchema, submitResponseSchema, taskResultSchema, TASK_RESULT_PATH, type TaskResult } from '../../../src/api/schemas.ts'

/*
 * The runner's door to a provider: the local engine (this gateway's own /api/local, over loopback, so it meets the
 * same contract the studio did) or jiekou.ai (its base, with the key). Every failure is an ApiError that says whether
 * waiting helps (`transient`), exactly as the studio's client reads the same answers.
 */

export interface ProviderClient {
  submit(path: string, body: unknown, idempotencyKey: string, signal?: AbortSignal): Promise<string>
  taskResult(taskId: string, signal?: AbortSignal): Promise<TaskResult>
}

export interface ProviderEndpoint {
  base: string
  /** Read at each call: a key changed in Settings takes effect at the next send. */
  key: () => string | undefined
  timeoutMs: number
}

async function call(endpoint: ProviderEndpoint, path: string, init: RequestInit, signal?: AbortSignal): Promise<unknown> {
  const key = endpoint.key()
  let res: Response
  let text: string
  try {
    res = await fetchWithTimeout(
      `${endpoint.base}${path}`,
      {
        ...init,
        headers: {
          'content-type': 'application/json',
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(init.headers as Record<string, string>),
        },
        ...(signal ? { signal } : {}),
      },
      { timeoutMs: endpoint.timeoutMs, limit: 'total' },
    )
    text = await res.text()
  } catch (err) {
    const timeout = err instanceof FetchFailure && err.kind === 'timeout'
    throw new ApiError({
      kind: timeout ? 'timeout' : 'network',
      message: timeout ? 'The provider took too long to answer.' : 'The provider could not be reached.',
      detail: (err as Error).message,
    })
  }
  let json: unknown
  try {
    json = text ? JSON.parse(text) : {}
  } catch {
    if (!res.ok)
      throw httpError(
        res.status,
        res.statusText,
        { code: res.status, reason: '', message: '', metadata: {} },
        res.headers.get('retry-after'),
      )
    throw new ApiError({ kind: 'parse', message: 'The provider answered with something that is not JSON.', status: res.status })
  }
  if (!res.ok) {
    const body = errorBodySchema.safeParse(json)
    throw httpError(
      res.status,
      res.statusText,
      body.success ? body.data : { code: res.status, reason: '', message: '', metadata: {} },
      res.headers.get('retry-after'),
    )
  }
  return json
}

export function providerClient(endpoint: ProviderEndpoint): ProviderClient {
  return {
    async submit(path, body, idempotencyKey, signal) {
      const json = await call(
        endpoint,
        path,
        { method: 'POST', body: JSON.stringify(body), headers: { 'idempotency-key': idempotencyKey } },
        signal,
      )
      const parsed = submitResponseSchema.safeParse(json)
      if (!parsed.success) throw new ApiError({ kind: 'parse', message: 'The provider accepted the request but gave no task id.' })
      return parsed.data.task_id
    },
    async taskResult(taskId, signal) {
      const json = await call(endpoint, `${TASK_RESULT_PATH}?task_id=${encodeURIComponent(taskId)}`, { method: 'GET' }, signal)
      const parsed = taskResultSchema.safeParse(json)
      if (!parsed.success) throw new ApiError({ kind: 'parse', message: 'The provider answered a task result the studio cannot read.' })
      return parsed.data
    },
  }
}

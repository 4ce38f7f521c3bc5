import { http, HttpResponse, delay } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ModelSpec } from '../models/types'
import { getTaskResult, lookupSubmit, submit } from './client'
import { ApiError } from './errors'
import { taskResultWire } from '../../testing/task-result'

const origin = globalThis.location.origin
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

const model = { path: '/v3/async/veo-3.1-generate-firstlastframe' } as ModelSpec
const result = (task: Record<string, unknown>, rest: Record<string, unknown> = {}) => taskResultWire({ task, ...rest })

describe('thin client', () => {
  it('posts the body to the provider base and returns the task id', async () => {
    let seen: { url: string; body: unknown; auth: string | null } | undefined
    server.use(
      http.post(`${origin}/api/jiekou/v3/async/veo-3.1-generate-firstlastframe`, async ({ request }) => {
        seen = { url: request.url, body: await request.json(), auth: request.headers.get('authorization') }
        return HttpResponse.json({ task_id: 'abc' })
      }),
    )
    await expect(submit({ provider: 'jiekou', apiKey: 'k-123' }, model, { prompt: 'hi' })).resolves.toEqual({ task_id: 'abc' })
    expect(seen).toEqual({
      url: `${origin}/api/jiekou/v3/async/veo-3.1-generate-firstlastframe`,
      body: { prompt: 'hi' },
      auth: 'Bearer k-123',
    })
  })

  it('never sends a key to the local engine', async () => {
    let auth: string | null = 'unset'
    server.use(
      http.post(`${origin}/api/local/v3/async/veo-3.1-generate-firstlastframe`, ({ request }) => {
        auth = request.headers.get('authorization')
        return HttpResponse.json({ task_id: 'abc' })
      }),
    )
    await submit({ provider: 'local', apiKey: 'k-123' }, model, {})
    expect(auth).toBeNull()
  })

  it('sends Idempotency-Key only when asked, with the Content-Type kept', async () => {
    const seen: (string | null)[][] = []
    server.use(
      http.post(`${origin}/api/local/v3/async/veo-3.1-generate-firstlastframe`, ({ request }) => {
        seen.push([request.headers.get('idempotency-key'), request.headers.get('content-type')])
        return HttpResponse.json({ task_id: 'abc' })
      }),
    )
    await submit({ provider: 'local' }, model, {}, { idempotencyKey: 'item-1' })
    await submit({ provider: 'local' }, model, {})
    expect(seen).toEqual([
      ['item-1', 'application/json'],
      [null, 'application/json'],
    ])
  })

  it('looks up a submit by its key: the task id, or undefined on 204', async () => {
    server.use(
      http.get(`${origin}/api/local/idempotency/item-1`, () => HttpResponse.json({ task_id: 'abc' })),
      http.get(`${origin}/api/local/idempotency/item-2`, () => new HttpResponse(null, { status: 204 })),
    )
    await expect(lookupSubmit({ provider: 'local' }, 'item-1')).resolves.toEqual({ task_id: 'abc' })
    await expect(lookupSubmit({ provider: 'local' }, 'item-2')).resolves.toBeUndefined()
  })

  it('reads a TTL given as a string or a number, and an unknown status as pending', async () => {
    server.use(
      http.get(`${origin}/api/local/v3/async/task-result`, ({ request }) => {
        const id = new URL(request.url).searchParams.get('task_id')
        return id === 'a'
          ? HttpResponse.json(
              result(
                {},
                {
                  videos: [
                    { video_url: 'u1', video_url_ttl: '3600', video_type: 'mp4' },
                    { video_url: 'u2', video_url_ttl: 120, video_type: 'mp4' },
                  ],
                },
              ),
            )
          : HttpResponse.json(result({ status: 'TASK_STATUS_SOMETHING_NEW', eta: '12', progress_percent: 40 }))
      }),
    )
    const a = await getTaskResult({ provider: 'local' }, 'a')
    expect(a.videos.map((v) => v.video_url_ttl)).toEqual([3600, 120])
    const b = await getTaskResult({ provider: 'local' }, 'b')
    expect(b.task.status).toBe('TASK_STATUS_UNKNOWN')
    expect(b.task.eta).toBe(12)
    expect(b.videos).toEqual([])
  })

  it('turns a contract error into a typed error with status, reason, message and Retry-After', async () => {
    server.use(
      http.get(`${origin}/api/jiekou/v3/async/task-result`, () =>
        HttpResponse.json(
          { code: 429, reason: 'RATE_LIMIT_EXCEEDED', message: 'slow down', metadata: {} },
          { status: 429, headers: { 'Retry-After': '7' } },
        ),
      ),
    )
    const error = await getTaskResult({ provider: 'jiekou' }, 'x').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      kind: 'http',
      status: 429,
      reason: 'RATE_LIMIT_EXCEEDED',
      message: 'slow down',
      retryAfter: 7,
      transient: true,
    })
  })

  it('tells a network failure from a timeout', async () => {
    server.use(http.get(`${origin}/api/local/v3/async/task-result`, () => HttpResponse.error()))
    await expect(getTaskResult({ provider: 'local' }, 'x')).rejects.toMatchObject({ kind: 'network', transient: true })
    server.use(
      http.get(`${origin}/api/local/v3/async/task-result`, async () => {
        await delay(500)
        return HttpResponse.json(result({}))
      }),
    )
    await expect(getTaskResult({ provider: 'local' }, 'x', { timeoutMs: 50 })).rejects.toMatchObject({ kind: 'timeout' })
  })

  it('reports a non-JSON error page by its status', async () => {
    server.use(
      http.get(
        `${origin}/api/local/v3/async/task-result`,
        () => new HttpResponse('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
      ),
    )
    await expect(getTaskResult({ provider: 'local' }, 'x')).rejects.toMatchObject({
      kind: 'http',
      status: 502,
      message: 'The server answered 502 Bad Gateway',
    })
  })
})

describe('lenient parsing', () => {
  it('survives nulls where the provider is loose', async () => {
    server.use(
      http.get(`${origin}/api/local/v3/async/task-result`, () =>
        HttpResponse.json(
          result(
            { reason: null, eta: null },
            { videos: [{ video_url: 'u', video_url_ttl: null, video_type: null }], extra: { seed: null, debug_info: null } },
          ),
        ),
      ),
    )
    const r = await getTaskResult({ provider: 'local' }, 'x')
    expect(r.videos).toEqual([{ video_url: 'u', video_url_ttl: 3600, video_type: 'mp4' }])
    expect(r.extra.seed).toBeUndefined()
    expect(r.task.reason).toBe('')
  })
})

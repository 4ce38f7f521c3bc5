import { QueryClient } from '@tanstack/react-query'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { getTaskResult } from './client'
import { describeError } from './errors'
import { gatewayConfigQuery, providerStatusQuery } from './queries'
import type { ErrorBody, ProviderStatusAnswer } from './schemas'

const origin = globalThis.location.origin
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

describe('gatewayConfigQuery', () => {
  it("reads the gateway's answer", async () => {
    server.use(http.get(`${origin}/api/config`, () => HttpResponse.json({ serverHoldsKey: true })))
    await expect(new QueryClient().fetchQuery(gatewayConfigQuery())).resolves.toEqual({ serverHoldsKey: true })
  })

  it('reports an answer it cannot read as a typed error', async () => {
    server.use(http.get(`${origin}/api/config`, () => HttpResponse.json({ serverHoldsKey: 'yes' })))
    await expect(new QueryClient().fetchQuery(gatewayConfigQuery())).rejects.toMatchObject({ name: 'ApiError', kind: 'parse' })
  })
})

describe('providerStatusQuery', () => {
  const check = (conn: Parameters<typeof providerStatusQuery>[0]) => new QueryClient().fetchQuery(providerStatusQuery(conn))
  /** The gateway's check answers `answer`; each request it got is kept. */
  function gatewayAnswers(provider: 'local' | 'jiekou', answer: ProviderStatusAnswer) {
    const asked: Request[] = []
    server.use(
      http.get(`${origin}/api/${provider}/provider-status`, ({ request }) => {
        asked.push(request)
        return HttpResponse.json(answer)
      }),
    )
    return asked
  }
  /** The words the studio had when it met this error answer itself, as a task-result answer. */
  async function wordsMetDirectly(status: number, body: ErrorBody, headers: Record<string, string> = {}) {
    server.use(http.get(`${origin}/api/jiekou/v3/async/task-result`, () => HttpResponse.json(body, { status, headers })))
    const error = await getTaskResult({ provider: 'jiekou', apiKey: 'k' }, 'x').catch((e: unknown) => e)
    return describeError(error)
  }

  it("asks the gateway's check, never task-result, and sends the key only to jiekou.ai", async () => {
    const local = gatewayAnswers('local', { state: 'ok' })
    await expect(check({ provider: 'local', apiKey: 'sk-1' })).resolves.toEqual({ state: 'ok' })
    expect(local[0]?.headers.get('authorization')).toBeNull()
    const jiekou = gatewayAnswers('jiekou', { state: 'ok' })
    await expect(check({ provider: 'jiekou', apiKey: 'sk-1' })).resolves.toEqual({ state: 'ok' })
    expect(jiekou[0]?.headers.get('authorization')).toBe('Bearer sk-1')
  })

  it('keeps its pace: fresh for a minute, asked again every two, never retried', () => {
    const options = providerStatusQuery({ provider: 'jiekou' })
    expect(options).toMatchObject({ staleTime: 60_000, refetchInterval: 120_000, retry: false })
  })

  it.each([
    ['key-refused', 403, { code: 403, reason: 'INVALID_API_KEY', message: 'invalid api key', metadata: {} }],
    [
      'no-key',
      401,
      {
        code: 401,
        reason: 'FAILED_TO_AUTH',
        message: 'No key yet: add your jiekou.ai key in Settings.',
        metadata: { detail: 'No Authorization header came with the request, and JIEKOU_API_KEY is not set on the gateway.' },
      },
    ],
    [
      'unreachable',
      502,
      {
        code: 502,
        reason: 'UPSTREAM_UNREACHABLE',
        message: "jiekou.ai can't be reached right now. Check your connection, then try again.",
        metadata: { detail: 'The gateway could not reach jiekou.ai at http://127.0.0.1:9 (ECONNREFUSED); check JIEKOU_BASE_URL.' },
      },
    ],
    ['unreachable', 502, { code: 502, reason: 'UPSTREAM_UNREACHABLE', message: 'bad gateway', metadata: {} }],
  ] as const)('%s: the words are those of the error the probe met, as if met directly (HTTP %i)', async (state, status, error) => {
    const direct = await wordsMetDirectly(status, error, { 'Retry-After': '30' })
    gatewayAnswers('jiekou', { state, status, error, retryAfter: '30' })
    await expect(check({ provider: 'jiekou', apiKey: 'k' })).resolves.toEqual({ state, words: direct })
  })

  it("a gateway that cannot be reached is unreachable, in the words for a gateway that's away", async () => {
    server.use(http.get(`${origin}/api/jiekou/provider-status`, () => HttpResponse.error()))
    const status = await check({ provider: 'jiekou', apiKey: 'k' })
    expect(status.state).toBe('unreachable')
    expect(status.words?.message).toBe("The studio can't reach its gateway. Check that it is still running, then try again.")
  })

  it('a gateway without the check (an older one: 404) says nothing against the provider', async () => {
    server.use(
      http.get(`${origin}/api/local/provider-status`, () =>
        HttpResponse.json({ code: 404, reason: 'NOT_FOUND', message: 'No such endpoint', metadata: {} }, { status: 404 }),
      ),
    )
    await expect(check({ provider: 'local' })).resolves.toEqual({ state: 'ok' })
  })
})

import { QueryClient } from '@tanstack/react-query'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { getTaskResult } from './client'
import { describeError } from './errors'
import {
  gatewayConfigQuery,
  providerStatusQuery,
  resetTaskPollFailures,
  taskPollFailures,
  taskQueries,
  taskResultPollDelay,
} from './queries'
import type { ErrorBody, ProviderStatusAnswer, TaskResult } from './schemas'
import { taskResultWire } from '../../testing/task-result'

// Every poll here goes at once: the shared pace (two a second) has its own tests.
vi.mock('./poll-turns', () => ({ pollTurn: () => Promise.resolve() }))

const origin = globalThis.location.origin
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

/** Answers the task-result path with each response in turn. */
function answerInTurn(...responses: (() => Response)[]) {
  let next = 0
  server.use(http.get(`${origin}/api/local/v3/async/task-result`, () => responses[Math.min(next++, responses.length - 1)]!()))
}
const busy = () => HttpResponse.json({ reason: 'SERVICE_NOT_AVAILABLE', message: 'busy' }, { status: 503 })
const processing = () => HttpResponse.json(taskResultWire({ task: { status: 'TASK_STATUS_PROCESSING', eta: 40 } }))

describe('taskQueries.detail', () => {
  const options = taskQueries.detail({ provider: 'local' }, 't1')
  /** The delay the factory's polling rule picks after the last poll in `client`. */
  const delayAfterLastPoll = (client: QueryClient) =>
    taskResultPollDelay(client.getQueryCache().find<TaskResult>({ queryKey: options.queryKey })!)
  const poll = (client: QueryClient) => client.fetchQuery(options).catch(() => undefined)
  // The back-off's jitter, fixed at its middle: each step is then exactly 1 s, 2 s, 4 s...
  beforeEach(() => void vi.spyOn(Math, 'random').mockReturnValue(0.5))
  afterEach(() => void vi.restoreAllMocks())

  it('polls by its own rule: no retries, and on in a background tab', () => {
    expect(options.refetchInterval).toBe(taskResultPollDelay)
    expect(options.retry).toBe(false)
    expect(options.refetchIntervalInBackground).toBe(true)
  })

  it('backs off on failures in a row, and starts again from the ETA after a success', async () => {
    const client = new QueryClient()
    answerInTurn(busy, busy, processing, busy)

    await poll(client)
    expect(delayAfterLastPoll(client)).toBe(1_000)
    await poll(client)
    expect(delayAfterLastPoll(client)).toBe(2_000)
    expect(taskPollFailures(client, { provider: 'local' }, 't1')).toBe(2)
    await poll(client)
    // 40 s left: three quarters of it, at most 20 s.
    expect(delayAfterLastPoll(client)).toBe(20_000)
    // The count starts again: one failure after a success waits as long as the first.
    await poll(client)
    expect(delayAfterLastPoll(client)).toBe(1_000)
  })

  it('Retry on a stalled task starts the count again, so the back-off does too', async () => {
    const client = new QueryClient()
    answerInTurn(busy)
    for (let i = 0; i < 3; i++) await poll(client)
    expect(taskPollFailures(client, { provider: 'local' }, 't1')).toBe(3)
    resetTaskPollFailures(client, { provider: 'local' }, 't1')
    expect(taskPollFailures(client, { provider: 'local' }, 't1')).toBe(0)
    await poll(client)
    expect(delayAfterLastPoll(client)).toBe(1_000)
  })

  it('a gateway that cannot be reached does not count as a failure (that is being offline)', async () => {
    const client = new QueryClient()
    server.use(http.get(`${origin}/api/local/v3/async/task-result`, () => HttpResponse.error()))
    await poll(client)
    await poll(client)
    expect(taskPollFailures(client, { provider: 'local' }, 't1')).toBe(0)
    answerInTurn(busy)
    await poll(client)
    expect(taskPollFailures(client, { provider: 'local' }, 't1')).toBe(1)
  })

  it('keeps one count per query client', async () => {
    answerInTurn(busy)
    const [a, b] = [new QueryClient(), new QueryClient()]
    await poll(a)
    await poll(a)
    await poll(b)
    expect(delayAfterLastPoll(a)).toBe(2_000)
    expect(delayAfterLastPoll(b)).toBe(1_000)
  })
})

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

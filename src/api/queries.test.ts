import { QueryClient } from '@tanstack/react-query'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { gatewayConfigQuery, resetTaskPollFailures, taskPollFailures, taskQueries, taskResultPollDelay } from './queries'
import type { TaskResult } from './schemas'
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

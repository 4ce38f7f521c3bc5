import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { RunningServer } from './app.ts'
import { readConfig } from './config.ts'
import type { ModelSpec } from '../src/models/types.ts'
import { closeAfterEach, models as catalogue, startGatewayWithStub, type StubUpstream } from './testing/gateway-harness.ts'

/* The submit limits of a real gateway on an ephemeral port, with a stub jiekou.ai behind it that counts what arrives. */

let models: readonly ModelSpec[]
beforeAll(async () => {
  models = await catalogue()
})

afterEach(() => {
  vi.useRealTimers()
})
closeAfterEach()

/** The stub answers like the provider (a fresh task_id per submit, a queued task per poll) and records every request. */
type Stub = StubUpstream

async function setup(env: Record<string, string>): Promise<{ stub: Stub; server: RunningServer }> {
  const { stub, gateway } = await startGatewayWithStub(env)
  return { stub, server: gateway.server }
}

const BROWSER_KEY = 'sk-browser-5e1d7c'
const submitPath = () => models[0]!.path

/** A submit to `provider`; the body is the same each time, so an Idempotency-Key may be sent again with it. */
function submit(server: RunningServer, { provider = 'jiekou', key }: { provider?: 'jiekou' | 'local'; key?: string } = {}) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Authorization: `Bearer ${BROWSER_KEY}` }
  if (key) headers['Idempotency-Key'] = key
  return fetch(`${server.url}/api/${provider}${submitPath()}`, { method: 'POST', headers, body: '{"prompt":"a kite"}' })
}

const poll = (server: RunningServer, provider: 'jiekou' | 'local' = 'jiekou') =>
  fetch(`${server.url}/api/${provider}/v3/async/task-result?task_id=t-1`, { headers: { Authorization: `Bearer ${BROWSER_KEY}` } })

const posts = (stub: Stub) => stub.seen.filter((s) => s.method === 'POST').length

/** A 429 in the contract's shape, with Retry-After in whole seconds; returns the seconds and the body. */
async function expectLimited(res: Response) {
  expect(res.status).toBe(429)
  expect(res.headers.get('content-type')).toMatch(/application\/json/)
  expect(res.headers.get('cache-control')).toBe('no-store')
  const retryAfter = res.headers.get('retry-after')
  expect(retryAfter).toMatch(/^[1-9]\d*$/)
  const body = (await res.json()) as {
    code: number
    reason: string
    message: string
    metadata: { detail: string; retryAfterSeconds: number }
  }
  expect(body).toMatchObject({ code: 429, reason: 'RATE_LIMIT_EXCEEDED', metadata: { retryAfterSeconds: Number(retryAfter) } })
  expect(body.message).toMatch(/Try again in \d+ s\.$/)
  return { seconds: Number(retryAfter), body }
}

describe('the per-client submit limit (GATEWAY_CLIENT_RPM)', () => {
  it('takes exactly the limit from a burst of one client, then answers 429 with Retry-After', async () => {
    const { stub, server } = await setup({ GATEWAY_CLIENT_RPM: '5' })
    const answers = await Promise.all(Array.from({ length: 12 }, () => submit(server)))
    const statuses = answers.map((r) => r.status).sort()
    expect(statuses).toEqual([...Array(5).fill(200), ...Array(7).fill(429)])
    for (const res of answers.filter((r) => r.status === 429)) {
      const { seconds, body } = await expectLimited(res)
      expect(seconds).toBeGreaterThan(50)
      expect(seconds).toBeLessThanOrEqual(60)
      expect(body.message).toContain('takes 5 a minute from each address')
      expect(body.metadata.detail).toContain('GATEWAY_CLIENT_RPM=5')
    }
    // Only what passed the limit reached the upstream.
    expect(posts(stub)).toBe(5)
    // Polls are not submits: they still go through.
    for (let i = 0; i < 3; i++) expect((await poll(server)).status).toBe(200)
  })

  it('counts submits to the local engine too (refused bodies included), but not its polls', async () => {
    const { server } = await setup({ GATEWAY_CLIENT_RPM: '3' })
    for (let i = 0; i < 3; i++) expect((await submit(server, { provider: 'local' })).status).toBe(400)
    await expectLimited(await submit(server, { provider: 'local' }))
    // The count is the client's, over both providers.
    await expectLimited(await submit(server))
    expect((await poll(server, 'local')).status).toBe(404)
  })

  it('does not count an idempotent replay', async () => {
    const { stub, server } = await setup({ GATEWAY_CLIENT_RPM: '2' })
    const first = await submit(server, { key: 'press-a' })
    expect(await first.json()).toEqual({ task_id: 't-1' })
    for (let i = 0; i < 5; i++) {
      const again = await submit(server, { key: 'press-a' })
      expect(again.status).toBe(200)
      expect(again.headers.get('idempotent-replayed')).toBe('true')
      expect(await again.json()).toEqual({ task_id: 't-1' })
    }
    expect((await submit(server, { key: 'press-b' })).status).toBe(200)
    await expectLimited(await submit(server, { key: 'press-c' }))
    expect(posts(stub)).toBe(2)
  })

  it('frees after the window, and Retry-After counts down to it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const t0 = new Date('2030-01-01T00:00:00Z').getTime()
    vi.setSystemTime(t0)
    const { stub, server } = await setup({ GATEWAY_CLIENT_RPM: '2' })
    expect((await submit(server)).status).toBe(200)
    expect((await submit(server)).status).toBe(200)
    expect((await expectLimited(await submit(server, { key: 'press-late' }))).seconds).toBe(60)
    vi.setSystemTime(t0 + 20_500)
    expect((await expectLimited(await submit(server, { key: 'press-late' }))).seconds).toBe(40)
    vi.setSystemTime(t0 + 59_999)
    expect((await expectLimited(await submit(server))).seconds).toBe(1)
    vi.setSystemTime(t0 + 60_000)
    // The refused press runs when sent again with its key: a 429 is never replayed.
    const late = await submit(server, { key: 'press-late' })
    expect(late.status).toBe(200)
    expect(late.headers.get('idempotent-replayed')).toBeNull()
    expect(posts(stub)).toBe(3)
  })

  it('is off at 0', async () => {
    const { stub, server } = await setup({ GATEWAY_CLIENT_RPM: '0' })
    const answers = await Promise.all(Array.from({ length: 80 }, () => submit(server)))
    expect(answers.every((r) => r.status === 200)).toBe(true)
    expect(posts(stub)).toBe(80)
  })
})

describe('the shared jiekou.ai key (JIEKOU_RPM)', () => {
  it('keeps forwarded submits under the limit for everyone, and never counts task-result polls', async () => {
    const { stub, server } = await setup({ JIEKOU_API_KEY: 'sk-server-9b2f', JIEKOU_RPM: '3' })
    for (let i = 0; i < 3; i++) {
      expect((await submit(server)).status).toBe(200)
      for (let j = 0; j < 4; j++) expect((await poll(server)).status).toBe(200)
    }
    const { seconds, body } = await expectLimited(await submit(server))
    expect(seconds).toBeLessThanOrEqual(60)
    expect(body.message).toContain('jiekou.ai key is shared')
    expect(body.metadata.detail).toContain('JIEKOU_RPM=3')
    expect(body.metadata.detail).not.toContain('sk-server-9b2f')
    // Refused submits never reach the upstream; polls still do.
    expect((await poll(server)).status).toBe(200)
    expect(posts(stub)).toBe(3)
    expect(stub.seen.filter((s) => s.method === 'GET').length).toBe(13)
    // The local engine is not the shared key's business.
    expect((await submit(server, { provider: 'local' })).status).toBe(400)
  })

  it('does not count a replay, and its 429s do not use the client’s slots', async () => {
    const { stub, server } = await setup({ JIEKOU_API_KEY: 'sk-server-9b2f', JIEKOU_RPM: '1', GATEWAY_CLIENT_RPM: '3' })
    expect((await submit(server, { key: 'one' })).status).toBe(200)
    for (let i = 0; i < 3; i++) expect((await submit(server, { key: 'one' })).headers.get('idempotent-replayed')).toBe('true')
    for (let i = 0; i < 4; i++) await expectLimited(await submit(server))
    expect(posts(stub)).toBe(1)
    // One slot used of three: two local submits still pass the client's limit, the third does not.
    expect((await submit(server, { provider: 'local' })).status).toBe(400)
    expect((await submit(server, { provider: 'local' })).status).toBe(400)
    const { body } = await expectLimited(await submit(server, { provider: 'local' }))
    expect(body.metadata.detail).toContain('GATEWAY_CLIENT_RPM=3')
  })

  it('does not apply when the gateway holds no key (each browser brings its own quota)', async () => {
    const { stub, server } = await setup({ JIEKOU_RPM: '1' })
    for (let i = 0; i < 4; i++) expect((await submit(server)).status).toBe(200)
    expect(posts(stub)).toBe(4)
  })
})

describe('config', () => {
  it('reads the limits, with defaults for missing or invalid values', () => {
    expect(readConfig({}).limits).toEqual({ jiekouRpm: 10, clientRpm: 60 })
    expect(readConfig({ JIEKOU_RPM: '45', GATEWAY_CLIENT_RPM: '0' }).limits).toEqual({ jiekouRpm: 45, clientRpm: 0 })
    expect(readConfig({ JIEKOU_RPM: 'lots', GATEWAY_CLIENT_RPM: '-3' }).limits).toEqual({ jiekouRpm: 10, clientRpm: 60 })
  })
})

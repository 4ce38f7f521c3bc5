import { describe, expect, it } from 'vitest'
import { PROVIDER_STATUS_PATH, providerStatusSchema, type ProviderStatusAnswer } from '../src/api/schemas.ts'
import { PROBE_TASK_ID } from './provider-status.ts'
import { closeAfterEach, startGatewayWithStub, startStubUpstream, startTestGateway, type Seen } from './testing/gateway-harness.ts'

/* The gateway's check of a provider: always a 200, the state, and the error the probe met; never the key. */

const SERVER_KEY = 'sk-server-5c1d9e7a3b'
const BROWSER_KEY = 'sk-browser-8a2f6c0e4d'

closeAfterEach()

/** Asks the gateway at `url` about `provider`; the answer must be a 200 in the schema the studio reads. */
async function status(url: string, provider: 'local' | 'jiekou', browserKey?: string) {
  const res = await fetch(`${url}/api/${provider}${PROVIDER_STATUS_PATH}`, {
    headers: browserKey ? { Authorization: `Bearer ${browserKey}` } : {},
  })
  const text = await res.text()
  expect(res.status).toBe(200)
  expect(res.headers.get('cache-control')).toBe('no-store')
  const answer = providerStatusSchema.parse(JSON.parse(text))
  return { answer, text }
}

/** The stub answers task-result as jiekou.ai does for an id it does not know. */
const taskNotFound = () => ({
  status: 404,
  body: JSON.stringify({ code: 404, reason: 'TASK_NOT_FOUND', message: 'task not found', metadata: {} }),
})
/** A refused key, whose message echoes the Authorization header it was sent (as a careless provider's might). */
const keyRefused = (req: Seen) => ({
  status: 403,
  body: JSON.stringify({ code: 403, reason: 'INVALID_API_KEY', message: `invalid api key: ${req.headers.authorization}`, metadata: {} }),
})

describe('the local engine', () => {
  it('is ok, and no task-result is asked of anyone', async () => {
    const { stub, gateway } = await startGatewayWithStub({ JIEKOU_API_KEY: SERVER_KEY })
    const { answer } = await status(gateway.url, 'local')
    expect(answer).toEqual({ state: 'ok' })
    expect(stub.seen).toHaveLength(0)
    expect(gateway.lines.filter((l) => l.includes('task-result'))).toEqual([])
  })
})

describe('jiekou.ai', () => {
  it("is ok when it answers TASK_NOT_FOUND: one task-result upstream, for the probe's id, with the server's key", async () => {
    const { stub, gateway } = await startGatewayWithStub({ JIEKOU_API_KEY: SERVER_KEY })
    stub.reply = taskNotFound
    const { answer } = await status(gateway.url, 'jiekou', BROWSER_KEY)
    expect(answer).toEqual({ state: 'ok' })
    expect(stub.seen).toHaveLength(1)
    expect(stub.seen[0]).toMatchObject({ method: 'GET', path: '/v3/async/task-result', query: `?task_id=${PROBE_TASK_ID}` })
    // The server's key wins, exactly as for a forwarded poll.
    expect(stub.seen[0]?.headers.authorization).toBe(`Bearer ${SERVER_KEY}`)
  })

  it("asks with the browser's key when the server holds none", async () => {
    const { stub, gateway } = await startGatewayWithStub()
    stub.reply = taskNotFound
    expect((await status(gateway.url, 'jiekou', BROWSER_KEY)).answer).toEqual({ state: 'ok' })
    expect(stub.seen[0]?.headers.authorization).toBe(`Bearer ${BROWSER_KEY}`)
  })

  it('a refused key is key-refused, carrying the error body and status it met, and never the key', async () => {
    for (const env of [{ JIEKOU_API_KEY: SERVER_KEY }, {}] as Record<string, string>[]) {
      const { stub, gateway } = await startGatewayWithStub(env)
      stub.reply = keyRefused
      const { answer, text } = await status(gateway.url, 'jiekou', BROWSER_KEY)
      expect(answer).toMatchObject({
        state: 'key-refused',
        status: 403,
        // The provider's words, with the key it echoed scrubbed.
        error: { code: 403, reason: 'INVALID_API_KEY', message: 'invalid api key: Bearer [redacted]', metadata: {} },
      } satisfies ProviderStatusAnswer)
      expect(stub.seen).toHaveLength(1)
      for (const key of [SERVER_KEY, BROWSER_KEY]) {
        expect(text).not.toContain(key)
        expect(gateway.lines.join('\n')).not.toContain(key)
      }
    }
  })

  it('with no key anywhere it is no-key, with the words of the forwarder, and nobody is asked', async () => {
    const { stub, gateway } = await startGatewayWithStub()
    const { answer } = await status(gateway.url, 'jiekou')
    expect(answer).toMatchObject({
      state: 'no-key',
      status: 401,
      error: {
        reason: 'FAILED_TO_AUTH',
        message: 'No key yet: add your jiekou.ai key in Settings.',
        metadata: { detail: expect.any(String) },
      },
    })
    expect(stub.seen).toHaveLength(0)
  })

  it('an upstream that cannot be reached is unreachable, with the reason the forwarder gives', async () => {
    // The harness's default upstream: a closed port on loopback.
    const gateway = await startTestGateway({ JIEKOU_API_KEY: SERVER_KEY })
    const { answer, text } = await status(gateway.url, 'jiekou', BROWSER_KEY)
    expect(answer).toMatchObject({
      state: 'unreachable',
      status: 502,
      error: { reason: 'UPSTREAM_UNREACHABLE', message: "jiekou.ai can't be reached right now. Check your connection, then try again." },
    })
    expect(text).not.toContain(SERVER_KEY)
    expect(text).not.toContain(BROWSER_KEY)
  })

  it('an upstream that does not answer in time is unreachable (504), within the probe’s own deadline', async () => {
    const stub = await startStubUpstream()
    stub.reply = { ...taskNotFound(), delayMs: 3_000 }
    const gateway = await startTestGateway({ JIEKOU_BASE_URL: stub.url, JIEKOU_API_KEY: SERVER_KEY, JIEKOU_TIMEOUT_MS: '300' })
    const { answer } = await status(gateway.url, 'jiekou')
    expect(answer).toMatchObject({ state: 'unreachable', status: 504, error: { reason: 'UPSTREAM_UNREACHABLE' } })
  })

  it('a busy provider (429 with Retry-After) still answered: ok', async () => {
    const { stub, gateway } = await startGatewayWithStub({ JIEKOU_API_KEY: SERVER_KEY })
    stub.reply = {
      status: 429,
      body: JSON.stringify({ code: 429, reason: 'RATE_LIMIT_EXCEEDED', message: 'slow down', metadata: {} }),
      headers: { 'Retry-After': '7' },
    }
    expect((await status(gateway.url, 'jiekou')).answer).toEqual({ state: 'ok' })
  })
})

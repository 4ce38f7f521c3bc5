import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, type RunningServer } from './app.ts'
import { readConfig } from './config.ts'
import { createLogger } from './logger.ts'
import { loadCatalogue } from './catalogue.ts'
import type { ModelSpec } from '../src/models/types.ts'

/* The forwarder against a stub jiekou.ai: what arrives upstream, and what the browser gets back. */

interface Seen {
  method: string
  path: string
  query: string
  headers: IncomingHttpHeaders
  body: string
}

interface Reply {
  status: number
  body: string
  headers?: Record<string, string>
  delayMs?: number
}

interface Stub {
  url: string
  seen: Seen[]
  reply: Reply
  close(): Promise<void>
}

async function startStub(): Promise<Stub> {
  const seen: Seen[] = []
  const stub = { seen, reply: { status: 200, body: '{"task_id":"t-1"}' } as Reply }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub')
      seen.push({ method: req.method ?? '', path: url.pathname, query: url.search, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      const { status, body, headers = {}, delayMs = 0 } = stub.reply
      setTimeout(() => {
        if (res.destroyed) return
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
        res.end(body)
      }, delayMs)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return Object.assign(stub, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  })
}

const SERVER_KEY = 'sk-server-7f3a9c1e5b'
const BROWSER_KEY = 'sk-browser-2d8e4f6a0c'

let models: readonly ModelSpec[]
beforeAll(async () => {
  models = await loadCatalogue()
})

const open: { close(): Promise<void> }[] = []
const dirs: string[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()))
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A gateway whose upstream is `baseUrl`; every log line it writes lands in `lines`. */
async function gateway(baseUrl: string, env: Record<string, string> = {}): Promise<{ server: RunningServer; lines: string[] }> {
  const lines: string[] = []
  const dataDir = mkdtempSync(join(tmpdir(), 'veo-proxy-test-'))
  dirs.push(dataDir)
  const config = readConfig({ JIEKOU_BASE_URL: baseUrl, LOCAL_ENGINE_DATA_DIR: dataDir, ...env })
  const server = await startServer({ config, models, logger: createLogger((l) => lines.push(l), [config.jiekouApiKey]), port: 0 })
  open.push(server)
  return { server, lines }
}

async function setup(env: Record<string, string> = { JIEKOU_API_KEY: SERVER_KEY }) {
  const stub = await startStub()
  open.push(stub)
  return { stub, ...(await gateway(stub.url, env)) }
}

const expectContractError = async (res: Response, status: number, reason: string) => {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/application\/json/)
  const body = (await res.json()) as Record<string, unknown>
  expect(body).toMatchObject({ code: status, reason, metadata: expect.any(Object) })
  expect(typeof body.message).toBe('string')
  expect((body.message as string).length).toBeGreaterThan(10)
  return body as { message: string }
}

describe('forwarding the contract calls', () => {
  it('knows both catalogue models', () => {
    expect(models.map((m) => m.path).sort()).toEqual(['/v3/async/veo-3.0-generate-preview-img2video', '/v3/async/veo-3.1-generate-firstlastframe'])
  })

  it('POSTs each model submit to its exact path with the exact body, and returns the answer unchanged', async () => {
    const { stub, server } = await setup()
    for (const model of models) {
      // Odd spacing and non-ASCII prove the bytes are relayed, not re-serialised.
      const body = `{ "prompt":  "a café at dawn ☕", "image": "data:image/png;base64,iVBORw0KGgo=", "seed": 42 }`
      stub.reply = { status: 200, body: `{"task_id": "task-${model.id}"}` }
      const res = await fetch(server.url + '/api/jiekou' + model.path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
      expect(res.status).toBe(200)
      expect(await res.text()).toBe(`{"task_id": "task-${model.id}"}`)
      const got = stub.seen.at(-1)
      expect(got).toMatchObject({ method: 'POST', path: model.path, query: '', body })
      expect(got?.headers['content-type']).toBe('application/json')
    }
    expect(stub.seen).toHaveLength(2)
  })

  it('GETs task-result with its query string', async () => {
    const { stub, server } = await setup()
    const result = '{"task":{"task_id":"abc 1","status":"TASK_STATUS_PROCESSING","reason":"","task_type":"x","progress_percent":40}}'
    stub.reply = { status: 200, body: result }
    const res = await fetch(server.url + '/api/jiekou/v3/async/task-result?task_id=abc%201&x=y')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(result)
    expect(stub.seen).toHaveLength(1)
    expect(stub.seen[0]).toMatchObject({ method: 'GET', path: '/v3/async/task-result', query: '?task_id=abc%201&x=y', body: '' })
  })
})

describe('auth', () => {
  it("uses the server's key over the browser's", async () => {
    const { stub, server } = await setup()
    await fetch(server.url + '/api/jiekou/v3/async/task-result?task_id=1', { headers: { Authorization: `Bearer ${BROWSER_KEY}` } })
    expect(stub.seen[0]?.headers.authorization).toBe(`Bearer ${SERVER_KEY}`)
  })

  it("uses the browser's key when the server has none", async () => {
    const { stub, server } = await setup({})
    await fetch(server.url + '/api/jiekou/v3/async/task-result?task_id=1', { headers: { Authorization: `Bearer ${BROWSER_KEY}` } })
    expect(stub.seen[0]?.headers.authorization).toBe(`Bearer ${BROWSER_KEY}`)
  })

  it('answers 401 without calling upstream when there is no key at all', async () => {
    const { stub, server } = await setup({})
    const res = await fetch(server.url + '/api/jiekou' + models[0]!.path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
    const body = await expectContractError(res, 401, 'FAILED_TO_AUTH')
    expect(body.message).toMatch(/Settings/)
    expect(body.message).toMatch(/JIEKOU_API_KEY/)
    expect(stub.seen).toHaveLength(0)
  })

  it("does not forward the browser's cookies or other headers", async () => {
    const { stub, server } = await setup()
    await fetch(server.url + '/api/jiekou/v3/async/task-result?task_id=1', {
      headers: { Cookie: 'session=secret', Origin: 'http://evil.example', 'X-Custom': 'yes', 'User-Agent': 'test-browser' },
    })
    const headers = stub.seen[0]?.headers ?? {}
    expect(headers.cookie).toBeUndefined()
    expect(headers.origin).toBeUndefined()
    expect(headers['x-custom']).toBeUndefined()
    expect(headers['user-agent']).not.toBe('test-browser')
  })
})

describe('upstream answers pass through', () => {
  const cases: Reply[] = [
    { status: 400, body: '{"code":400,"reason":"INVALID_REQUEST_BODY","message":"duration_seconds must be 8","metadata":{}}' },
    { status: 403, body: '{"code":403,"reason":"NOT_ENOUGH_BALANCE","message":"top up","metadata":{}}' },
    { status: 429, body: '{"code":429,"reason":"RATE_LIMIT_EXCEEDED","message":"slow down","metadata":{}}', headers: { 'Retry-After': '7' } },
    { status: 503, body: '{"code":503,"reason":"SERVICE_NOT_AVAILABLE","message":"later","metadata":{}}' },
  ]
  for (const reply of cases) {
    it(`${reply.status} keeps its status, JSON body and Retry-After`, async () => {
      const { stub, server } = await setup()
      stub.reply = reply
      const res = await fetch(server.url + '/api/jiekou' + models[1]!.path, { method: 'POST', body: '{"prompt":"x"}' })
      expect(res.status).toBe(reply.status)
      expect(await res.text()).toBe(reply.body)
      expect(res.headers.get('retry-after')).toBe(reply.headers?.['Retry-After'] ?? null)
    })
  }

  it('wraps a non-JSON error body in the contract shape with the same status', async () => {
    const { stub, server } = await setup()
    stub.reply = { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', headers: { 'Content-Type': 'text/html' } }
    const res = await fetch(server.url + '/api/jiekou/v3/async/task-result?task_id=1')
    const body = await expectContractError(res, 502, 'UPSTREAM_UNREACHABLE')
    expect(body.message).toContain('502 Bad Gateway')
    expect(body.message).not.toContain('<h1>')
  })

  it("never hands the server's key to the browser, even when an error page echoes it", async () => {
    const { stub, server } = await setup()
    stub.reply = { status: 500, body: `Internal error while handling key ${SERVER_KEY}`, headers: { 'Content-Type': 'text/plain' } }
    const res = await fetch(server.url + '/api/jiekou/v3/async/task-result?task_id=1')
    const body = await expectContractError(res, 500, 'SERVICE_NOT_AVAILABLE')
    expect(body.message).toContain('Internal error while handling key')
    expect(JSON.stringify(body)).not.toContain(SERVER_KEY)
  })

  it('refuses to follow a redirect (the key would go with it)', async () => {
    const { stub, server } = await setup()
    stub.reply = { status: 302, body: '', headers: { Location: `${stub.url}/elsewhere` } }
    const res = await fetch(server.url + '/api/jiekou/v3/async/task-result?task_id=1')
    await expectContractError(res, 502, 'UPSTREAM_UNREACHABLE')
    expect(stub.seen.map((s) => s.path)).toEqual(['/v3/async/task-result'])
  })
})

describe('the allow-list', () => {
  const offList: [string, string][] = [
    ['POST', '/api/jiekou/v3/async/other-model'],
    ['GET', '/api/jiekou/v3/user/balance'],
    ['DELETE', '/api/jiekou/v3/async/task-result'],
    ['POST', '/api/jiekou/v3/async/task-result'],
    ['GET', '/api/jiekou/v3/async/veo-3.1-generate-firstlastframe'],
    ['POST', '/api/jiekou/v3/async/veo-3.1-generate-firstlastframe/extra'],
    ['POST', '/api/jiekou/v3/async/veo-3.1-generate-firstlastframe%2F..%2Fother-model'],
    ['GET', '/api/jiekou/'],
  ]
  it.each(offList)('%s %s → 404 and nothing goes upstream', async (method, path) => {
    const { stub, server } = await setup()
    const res = await fetch(server.url + path, { method, headers: { Authorization: `Bearer ${BROWSER_KEY}` }, body: method === 'POST' ? '{}' : null })
    await expectContractError(res, 404, 'NOT_FOUND')
    expect(stub.seen).toHaveLength(0)
  })
})

describe('upstream failures', () => {
  it('answers 502 when the upstream is down', async () => {
    // A port that was just free and is closed again: connection refused.
    const dead = await startStub()
    await dead.close()
    const { server } = await gateway(dead.url, { JIEKOU_API_KEY: SERVER_KEY })
    const res = await fetch(server.url + '/api/jiekou/v3/async/task-result?task_id=1')
    const body = await expectContractError(res, 502, 'UPSTREAM_UNREACHABLE')
    expect(body.message).toMatch(/could not reach jiekou\.ai/)
  })

  it('answers 504 when the upstream is too slow', async () => {
    const { stub, server } = await setup({ JIEKOU_API_KEY: SERVER_KEY, JIEKOU_TIMEOUT_MS: '200' })
    stub.reply = { status: 200, body: '{"task_id":"late"}', delayMs: 3_000 }
    const started = Date.now()
    const res = await fetch(server.url + '/api/jiekou' + models[0]!.path, { method: 'POST', body: '{}' })
    const body = await expectContractError(res, 504, 'UPSTREAM_UNREACHABLE')
    expect(Date.now() - started).toBeLessThan(2_500)
    expect(body.message).toMatch(/did not answer within 0\.2 s/)
  })
})

describe('logging', () => {
  it('logs method, path, status and time, and never a key or a body', async () => {
    const marker = 'IMAGEBYTES_9b1c'
    const withKey = await setup()
    await fetch(withKey.server.url + '/api/jiekou' + models[0]!.path, {
      method: 'POST',
      headers: { Authorization: `Bearer ${BROWSER_KEY}` },
      body: `{"image_base64":"${marker}"}`,
    })
    const withoutKey = await setup({})
    await fetch(withoutKey.server.url + '/api/jiekou/v3/async/task-result?task_id=1', { headers: { Authorization: `Bearer ${BROWSER_KEY}` } })
    withoutKey.stub.reply = { status: 429, body: '{}' }
    await fetch(withoutKey.server.url + '/api/jiekou/v3/async/task-result?task_id=2', { headers: { Authorization: BROWSER_KEY } })

    const lines = [...withKey.lines, ...withoutKey.lines]
    expect(lines).toHaveLength(3)
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(events[0]).toMatchObject({ event: 'jiekou', method: 'POST', path: models[0]!.path, status: 200, ms: expect.any(Number) })
    expect(events[2]).toMatchObject({ method: 'GET', path: '/v3/async/task-result', status: 429 })
    for (const line of lines) {
      expect(line).not.toContain(SERVER_KEY)
      expect(line).not.toContain(BROWSER_KEY)
      expect(line).not.toContain(marker)
    }
  })
})

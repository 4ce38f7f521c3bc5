import { beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './app.ts'
import type { ModelSpec } from '../src/models/types.ts'
import { taskResultWire } from '../testing/task-result.ts'
import {
  closeAfterEach,
  models as catalogue,
  startStubUpstream as startStub,
  startTestGateway,
  type Reply,
  type StubUpstream as Stub,
} from './testing/gateway-harness.ts'

/* The forwarder against a stub jiekou.ai: what arrives upstream, and what the browser gets back. */

const SERVER_KEY = 'sk-server-7f3a9c1e5b'
const BROWSER_KEY = 'sk-browser-2d8e4f6a0c'

let models: readonly ModelSpec[]
beforeAll(async () => {
  models = await catalogue()
})

closeAfterEach()

/** A gateway whose upstream is `baseUrl`; every log line it writes lands in `lines`. */
async function gateway(baseUrl: string, env: Record<string, string> = {}): Promise<{ server: RunningServer; lines: string[] }> {
  const { server, lines } = await startTestGateway({ JIEKOU_BASE_URL: baseUrl, ...env })
  return { server, lines }
}

async function setup(env: Record<string, string> = { JIEKOU_API_KEY: SERVER_KEY }) {
  const stub = await startStub()
  return { stub, ...(await gateway(stub.url, env)) }
}

const expectContractError = async (res: Response, status: number, reason: string) => {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/application\/json/)
  expect(res.headers.get('cache-control')).toBe('no-store')
  const body = (await res.json()) as Record<string, unknown>
  expect(body).toMatchObject({ code: status, reason, metadata: expect.any(Object) })
  expect(typeof body.message).toBe('string')
  expect((body.message as string).length).toBeGreaterThan(10)
  return body as { message: string; metadata: { detail?: string } }
}

describe('forwarding the contract calls', () => {
  it('knows both catalogue models', () => {
    expect(models.map((m) => m.path).sort()).toEqual([
      '/v3/async/veo-3.0-generate-preview-img2video',
      '/v3/async/veo-3.1-generate-firstlastframe',
    ])
  })

  it('POSTs each model submit to its exact path with the exact body, and returns the answer unchanged', async () => {
    const { stub, server } = await setup()
    for (const model of models) {
      // Odd spacing and non-ASCII prove the bytes are relayed, not re-serialised.
      const body = `{ "prompt":  "a café at dawn ☕", "image": "data:image/png;base64,iVBORw0KGgo=", "seed": 42 }`
      stub.reply = { status: 200, body: `{"task_id": "task-${model.id}"}` }
      const res = await fetch(server.url + '/api/jiekou' + model.path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      })
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
    const res = await fetch(server.url + '/api/jiekou' + models[0]!.path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    })
    const body = await expectContractError(res, 401, 'FAILED_TO_AUTH')
    expect(body.message).toBe('No key yet: add your jiekou.ai key in Settings.')
    expect(body.metadata.detail).toMatch(/JIEKOU_API_KEY/)
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
    {
      status: 429,
      body: '{"code":429,"reason":"RATE_LIMIT_EXCEEDED","message":"slow down","metadata":{}}',
      headers: { 'Retry-After': '7' },
    },
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
      expect(res.headers.get('cache-control')).toBe('no-store')
    })
  }

  it('wraps a non-JSON error body in the contract shape with the same status', async () => {
    const { stub, server } = await setup()
    stub.reply = { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', headers: { 'Content-Type': 'text/html' } }
    const res = await fetch(server.url + '/api/jiekou/v3/async/task-result?task_id=1')
    const body = await expectContractError(res, 502, 'UPSTREAM_UNREACHABLE')
    expect(body.message).toBe('jiekou.ai had a problem. Try again in a moment.')
    expect(body.metadata.detail).toContain('502 Bad Gateway')
    expect(body.metadata.detail).not.toContain('<h1>')
  })

  it("never hands the server's key to the browser, even when an error page echoes it", async () => {
    const { stub, server } = await setup()
    stub.reply = { status: 500, body: `Internal error while handling key ${SERVER_KEY}`, headers: { 'Content-Type': 'text/plain' } }
    const res = await fetch(server.url + '/api/jiekou/v3/async/task-result?task_id=1')
    const body = await expectContractError(res, 500, 'SERVICE_NOT_AVAILABLE')
    expect(body.metadata.detail).toContain('Internal error while handling key')
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
    const res = await fetch(server.url + path, {
      method,
      headers: { Authorization: `Bearer ${BROWSER_KEY}` },
      body: method === 'POST' ? '{}' : null,
    })
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
    expect(body.message).toMatch(/^jiekou\.ai can't be reached right now\./)
    expect(body.metadata.detail).toMatch(/could not reach jiekou\.ai at .* \(ECONNREFUSED\); check JIEKOU_BASE_URL/)
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
    await fetch(withoutKey.server.url + '/api/jiekou/v3/async/task-result?task_id=1', {
      headers: { Authorization: `Bearer ${BROWSER_KEY}` },
    })
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

describe('the video relay', () => {
  const video = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256))
  const relay = (server: RunningServer, url: string, init?: RequestInit) =>
    fetch(`${server.url}/api/jiekou/video?url=${encodeURIComponent(url)}`, init)

  /** Polls a task result through the gateway whose answer hands out `videos`. */
  async function pollResult(stub: Stub, server: RunningServer, videos: unknown[]) {
    const body = JSON.stringify(taskResultWire({ task: { task_id: 't', task_type: 'x' }, videos }))
    stub.reply = { status: 200, body }
    const res = await fetch(server.url + '/api/jiekou/v3/async/task-result?task_id=t')
    // The answer itself is still relayed byte for byte.
    expect(await res.text()).toBe(body)
  }

  it('streams a video a task result handed out, with its type and length, and no key goes to the CDN', async () => {
    const { stub, server, lines } = await setup()
    // A signed-looking URL: its query must survive the round trip exactly.
    const url = `${stub.url}/cdn/v.mp4?X-Sig=a%2Bb%2F%3D&expires=99`
    stub.files['/cdn/v.mp4'] = {
      status: 200,
      body: video,
      headers: { 'Content-Type': 'video/mp4', 'Content-Length': String(video.length) },
    }
    await pollResult(stub, server, [{ video_url: url, video_url_ttl: '3600', video_type: 'mp4' }])
    const res = await relay(server, url, { headers: { Authorization: `Bearer ${BROWSER_KEY}`, Cookie: 'session=secret' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('video/mp4')
    expect(Number(res.headers.get('content-length'))).toBe(video.length)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(Buffer.from(await res.arrayBuffer()).equals(video)).toBe(true)

    const got = stub.seen.at(-1)
    expect(got).toMatchObject({ method: 'GET', path: '/cdn/v.mp4', query: '?X-Sig=a%2Bb%2F%3D&expires=99' })
    expect(got?.headers.authorization).toBeUndefined()
    expect(got?.headers.cookie).toBeUndefined()
    expect(JSON.stringify(got?.headers)).not.toContain(SERVER_KEY)
    expect(JSON.stringify(got?.headers)).not.toContain(BROWSER_KEY)
    for (const line of lines) {
      expect(line).not.toContain(SERVER_KEY)
      expect(line).not.toContain(BROWSER_KEY)
      // The signed part of the link is as good as a credential: it stays out of the log too.
      expect(line).not.toContain('X-Sig')
    }
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>).at(-1)).toMatchObject({ event: 'jiekou video', status: 200 })
  })

  it('streams rather than buffering: the first bytes arrive before the CDN has sent the rest', async () => {
    const { stub, server } = await setup()
    let finish = () => {}
    stub.files['/cdn/slow.mp4'] = (res) => {
      res.writeHead(200, { 'Content-Type': 'video/mp4' })
      res.write(video.subarray(0, 1000))
      finish = () => res.end(video.subarray(1000, 2000))
    }
    const url = `${stub.url}/cdn/slow.mp4`
    await pollResult(stub, server, [{ video_url: url, video_url_ttl: 3600 }])
    const res = await relay(server, url)
    const reader = res.body!.getReader()
    let first = 0
    while (first < 1000) first += (await reader.read()).value?.byteLength ?? 0
    expect(first).toBe(1000)
    finish()
    let rest = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      rest += value.byteLength
    }
    expect(rest).toBe(1000)
  })

  it('passes a byte range through', async () => {
    const { stub, server } = await setup()
    stub.files['/cdn/r.mp4'] = (res) => {
      res.writeHead(206, { 'Content-Type': 'video/mp4', 'Content-Range': `bytes 0-9/${video.length}`, 'Accept-Ranges': 'bytes' })
      res.end(video.subarray(0, 10))
    }
    const url = `${stub.url}/cdn/r.mp4`
    await pollResult(stub, server, [{ video_url: url }])
    const res = await relay(server, url, { headers: { Range: 'bytes=0-9' } })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-range')).toBe(`bytes 0-9/${video.length}`)
    expect(Buffer.from(await res.arrayBuffer()).equals(video.subarray(0, 10))).toBe(true)
    expect(stub.seen.at(-1)?.headers.range).toBe('bytes=0-9')
  })

  it('refuses a URL no task result handed out, and the CDN sees nothing', async () => {
    const { stub, server } = await setup()
    stub.files['/cdn/v.mp4'] = { status: 200, body: video, headers: { 'Content-Type': 'video/mp4' } }
    await pollResult(stub, server, [{ video_url: `${stub.url}/cdn/v.mp4`, video_url_ttl: 3600 }])
    const before = stub.seen.length
    for (const url of [`${stub.url}/cdn/v.mp4?x=1`, `${stub.url}/cdn/other.mp4`, 'http://169.254.169.254/latest/meta-data/']) {
      const body = await expectContractError(await relay(server, url), 404, 'NOT_FOUND')
      expect(body.message).toMatch(/not issued by a task result seen by this gateway/)
    }
    expect(stub.seen).toHaveLength(before)
  })

  it('refuses a missing or non-http(s) url with 400, and other methods with 404', async () => {
    const { stub, server } = await setup()
    await expectContractError(await fetch(`${server.url}/api/jiekou/video`), 400, 'INVALID_REQUEST_BODY')
    await expectContractError(await relay(server, 'file:///etc/passwd'), 400, 'INVALID_REQUEST_BODY')
    await expectContractError(await relay(server, 'not a url'), 400, 'INVALID_REQUEST_BODY')
    await expectContractError(await relay(server, `${stub.url}/x.mp4`, { method: 'POST', body: '{}' }), 404, 'NOT_FOUND')
    expect(stub.seen).toHaveLength(0)
  })

  it('does not learn URLs from error answers, submit answers or non-http(s) links', async () => {
    const { stub, server } = await setup()
    const url = `${stub.url}/cdn/v.mp4`
    stub.reply = { status: 404, body: JSON.stringify({ code: 404, reason: 'TASK_NOT_FOUND', message: 'x', videos: [{ video_url: url }] }) }
    await (await fetch(server.url + '/api/jiekou/v3/async/task-result?task_id=t')).text()
    stub.reply = { status: 200, body: JSON.stringify({ task_id: 'x', videos: [{ video_url: url }] }) }
    await (await fetch(server.url + '/api/jiekou' + models[0]!.path, { method: 'POST', body: '{}' })).text()
    const before = stub.seen.length
    await expectContractError(await relay(server, url), 404, 'NOT_FOUND')
    expect(stub.seen).toHaveLength(before)
  })

  it('refuses an entry past its video_url_ttl, and says so', async () => {
    const { stub, server } = await setup()
    const url = `${stub.url}/cdn/old.mp4`
    stub.files['/cdn/old.mp4'] = { status: 200, body: video }
    await pollResult(stub, server, [{ video_url: url, video_url_ttl: 0 }])
    const before = stub.seen.length
    const body = await expectContractError(await relay(server, url), 404, 'NOT_FOUND')
    expect(body.message).toMatch(/the provider's video link has expired/i)
    expect(stub.seen).toHaveLength(before)
  })

  it("answers the CDN's 403/404 as an expired link, and other failures with their status", async () => {
    const { stub, server } = await setup()
    const urls = { gone: `${stub.url}/cdn/gone.mp4`, denied: `${stub.url}/cdn/denied.mp4`, broken: `${stub.url}/cdn/broken.mp4` }
    stub.files['/cdn/gone.mp4'] = {
      status: 404,
      body: '<html>NoSuchKey internal-bucket-name</html>',
      headers: { 'Content-Type': 'text/html' },
    }
    stub.files['/cdn/denied.mp4'] = {
      status: 403,
      body: '<Error>AccessDenied: Request has expired</Error>',
      headers: { 'Content-Type': 'application/xml' },
    }
    stub.files['/cdn/broken.mp4'] = { status: 503, body: 'overloaded', headers: { 'Content-Type': 'text/plain', 'Retry-After': '3' } }
    await pollResult(
      stub,
      server,
      Object.values(urls).map((video_url) => ({ video_url })),
    )
    for (const url of [urls.gone, urls.denied]) {
      const body = await expectContractError(await relay(server, url), 404, 'NOT_FOUND')
      expect(body.message).toMatch(/the provider's video link has expired/i)
      expect(body.message).not.toMatch(/internal-bucket-name|AccessDenied/)
    }
    const body = await expectContractError(await relay(server, urls.broken), 503, 'SERVICE_NOT_AVAILABLE')
    expect(body.message).not.toContain('overloaded')
  })

  it('answers 502 when the CDN is down and 504 when it is too slow', async () => {
    const { stub, server } = await setup({ JIEKOU_API_KEY: SERVER_KEY, JIEKOU_TIMEOUT_MS: '300' })
    const dead = await startStub()
    await dead.close()
    stub.files['/cdn/late.mp4'] = () => {} // never answers
    const late = `${stub.url}/cdn/late.mp4`
    await pollResult(stub, server, [{ video_url: `${dead.url}/v.mp4` }, { video_url: late }])
    await expectContractError(await relay(server, `${dead.url}/v.mp4`), 502, 'UPSTREAM_UNREACHABLE')
    const started = Date.now()
    const body = await expectContractError(await relay(server, late), 504, 'UPSTREAM_UNREACHABLE')
    expect(Date.now() - started).toBeLessThan(2_500)
    expect(body.message).toMatch(/within 0\.3 s/)
  })

  it('cuts a stream that stalls for longer than the timeout, so the browser sees a failed download, not a short video', async () => {
    const { stub, server } = await setup({ JIEKOU_API_KEY: SERVER_KEY, JIEKOU_TIMEOUT_MS: '300' })
    for (const declared of [true, false]) {
      const path = `/cdn/stall-${declared}.mp4`
      stub.files[path] = (res) => {
        res.writeHead(200, { 'Content-Type': 'video/mp4', ...(declared ? { 'Content-Length': String(video.length) } : {}) })
        res.write(video.subarray(0, 1000)) // and then nothing more
      }
      await pollResult(stub, server, [{ video_url: stub.url + path }])
      const res = await relay(server, stub.url + path)
      expect(res.status).toBe(200)
      await expect(res.arrayBuffer()).rejects.toThrow(/terminated/)
    }
  })
})

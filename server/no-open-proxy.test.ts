import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeAll, startStubUpstream, startTestGateway, type StubUpstream, type TestGateway } from './testing/gateway-harness.ts'

/*
 * No open proxy: the upstream is fixed (JIEKOU_BASE_URL), and only the contract's calls reach it. Each request below
 * is written byte for byte on a raw socket (fetch would tidy the path first), to a gateway that holds a key, in front
 * of a stub upstream that records everything it sees. A second stub, "evil", stands for any other host: nothing may
 * ever reach it. Every answer is one of the contract's JSON errors, never a 5xx.
 */

const KEY = 'sk-server-open-proxy-1c7e'
const CONTRACT_PATHS = [
  '/v3/async/task-result',
  '/v3/async/veo-3.0-generate-preview-img2video',
  '/v3/async/veo-3.1-generate-firstlastframe',
]

let gateway: TestGateway
let upstream: StubUpstream
let evil: StubUpstream
let evilHost = ''

beforeAll(async () => {
  upstream = await startStubUpstream()
  evil = await startStubUpstream()
  evilHost = new URL(evil.url).host
  gateway = await startTestGateway({ JIEKOU_BASE_URL: upstream.url, JIEKOU_API_KEY: KEY, GATEWAY_CLIENT_RPM: '0', JIEKOU_RPM: '0' })
})

afterAll(closeAll)

interface Raw {
  status: number
  headers: Record<string, string>
  body: string
}

/** Sends one request exactly as written (request line, headers), and reads the whole answer. */
function raw(target: string, { method = 'GET', host, body = '' }: { method?: string; host?: string; body?: string } = {}): Promise<Raw> {
  const { port } = new URL(gateway.url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', reject)
    socket.setTimeout(10_000, () => reject(new Error(`no answer to ${method} ${target}`)))
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const [head = '', ...rest] = text.split('\r\n\r\n')
      const [statusLine = '', ...lines] = head.split('\r\n')
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()] as const),
      )
      let payload = rest.join('\r\n\r\n')
      // Chunked answers: keep only the chunks' data.
      if (headers['transfer-encoding'] === 'chunked') payload = payload.replace(/(^|\r\n)[0-9a-f]+\r\n/gi, '').replace(/\r\n$/, '')
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: payload })
    })
    socket.write(
      `${method} ${target} HTTP/1.1\r\nHost: ${host ?? `127.0.0.1:${port}`}\r\nConnection: close\r\n` +
        (method === 'POST' ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : '') +
        `\r\n${body}`,
    )
  })
}

/** A contract error: the status, JSON with code, reason, message and metadata; never a 5xx. */
function expectContractError(res: Raw, statuses: number[]) {
  expect(res.status).toBeLessThan(500)
  expect(statuses).toContain(res.status)
  expect(res.headers['content-type']).toMatch(/application\/json/)
  const json = JSON.parse(res.body) as Record<string, unknown>
  expect(json).toMatchObject({ code: res.status, reason: expect.any(String), message: expect.any(String), metadata: expect.any(Object) })
}

/** What reached the upstream since `from` stays on the contract's paths, and nothing reached any other host. */
function expectContained(from: number) {
  for (const seen of upstream.seen.slice(from)) {
    expect(CONTRACT_PATHS).toContain(seen.rawPath)
    expect(seen.headers.host).toBe(new URL(upstream.url).host)
  }
  expect(evil.seen).toEqual([])
}

const tricks: [string, string][] = [
  ['dot segments', '/api/jiekou/../x'],
  ['dot segments past the base', '/api/jiekou/v3/../../admin'],
  ['dot segments after a contract path', '/api/jiekou/v3/async/task-result/../../../user/balance'],
  ['a model path, then out', '/api/jiekou/v3/async/veo-3.1-generate-firstlastframe/../../v1/user'],
  ['encoded slash', '/api/jiekou/v3%2Fasync%2Ftask-result'],
  ['encoded slash and dots', '/api/jiekou/v3/async/task-result%2f..%2f..%2fadmin'],
  ['encoded dots', '/api/jiekou/%2e%2e/%2e%2e/admin'],
  ['double encoding', '/api/jiekou/v3/async/%252e%252e/%252e%252e/admin'],
  ['double-encoded slash', '/api/jiekou/v3/async/task-result%252f..%252fadmin'],
  ['backslashes', '/api/jiekou/v3\\async\\task-result'],
  ['backslash dot segments', '/api/jiekou\\..\\..\\admin'],
  ['encoded backslashes', '/api/jiekou/v3/async/..%5c..%5cadmin'],
  ['an absolute URL in the path', '/api/jiekou/http://EVIL/x'],
  ['an encoded absolute URL', '/api/jiekou/http%3A%2F%2FEVIL%2Fv3%2Fasync%2Ftask-result'],
  ['a protocol-relative URL', '/api/jiekou//EVIL/v3/async/task-result'],
  ['a protocol-relative URL at the root', '//EVIL/api/jiekou/v3/async/task-result'],
  ['userinfo', '/api/jiekou/@EVIL/v3/async/task-result'],
  ['userinfo after a contract path', '/api/jiekou/v3/async/task-result@EVIL'],
  ['userinfo with credentials', '/api/jiekou/user:pass@EVIL/v3/async/task-result'],
  ['a null byte', '/api/jiekou/v3/async/task-result%00/../admin'],
  ['a trailing dot segment', '/api/jiekou/v3/async/task-result/.'],
]

describe('no open proxy', () => {
  describe.each(['GET', 'POST'])('%s', (method) => {
    it.each(tricks)('%s never leaves the contract: a contract 404/400', async (_, path) => {
      const from = upstream.seen.length
      const res = await raw(path.replaceAll('EVIL', evilHost), method === 'POST' ? { method, body: '{"prompt":"x"}' } : {})
      expectContractError(res, [400, 404])
      expectContained(from)
      // Nothing at all went upstream: each of these is refused by the gateway itself.
      expect(upstream.seen).toHaveLength(from)
    })
  })

  it.each([
    ['a task id that is a URL', '/api/jiekou/v3/async/task-result?task_id=http://EVIL/x'],
    ['a task id with dot segments', '/api/jiekou/v3/async/task-result?task_id=../../admin'],
    ['a query with userinfo and a fragment', '/api/jiekou/v3/async/task-result?task_id=1@EVIL/#/admin'],
    ['an encoded query', '/api/jiekou/v3/async/task-result?task_id=%2F..%2F..%2Fadmin%3Fx%3D'],
    // The URL parser resolves these before routing: they land on the contract's own path, and nowhere else.
    ['dot segments into a contract path', '/api/jiekou/v3/async/x/../task-result?task_id=1'],
    ['encoded dots into a contract path', '/api/jiekou/v3/async/x/%2e%2e/task-result?task_id=1'],
  ])('%s reaches the upstream only as task-result, on the upstream host', async (_, path) => {
    const from = upstream.seen.length
    const res = await raw(path.replaceAll('EVIL', evilHost))
    expect(res.status).toBe(200)
    expect(upstream.seen.slice(from).map((s) => s.rawPath)).toEqual(['/v3/async/task-result'])
    expectContained(from)
  })

  it('an absolute-form request line (a proxy request) goes to the fixed upstream, or nowhere', async () => {
    const from = upstream.seen.length
    for (const target of [
      `http://${evilHost}/v3/async/task-result?task_id=1`,
      `http://${evilHost}/api/jiekou/v3/async/task-result?task_id=1`,
    ]) {
      const res = await raw(target, { host: evilHost })
      expect(res.status).toBeLessThan(500)
      if (res.status >= 400) expectContractError(res, [400, 404])
    }
    expectContained(from)
  })

  it('a Host header that is not ours changes nothing upstream', async () => {
    const from = upstream.seen.length
    for (const host of [evilHost, 'evil.example', `${evilHost}@127.0.0.1`, `127.0.0.1@${evilHost}`, `${evilHost}/x`]) {
      for (const res of [
        await raw('/api/jiekou/v3/async/task-result?task_id=1', { host }),
        await raw('/api/jiekou/v3/async/veo-3.1-generate-firstlastframe', { method: 'POST', host, body: '{"prompt":"x"}' }),
      ]) {
        // Forwarded to the fixed upstream, or refused as an unreadable address.
        if (res.status !== 200) expectContractError(res, [400])
      }
    }
    expect(upstream.seen.length).toBeGreaterThan(from)
    expectContained(from)
  })

  it('the video relay fetches no URL a task result did not hand out', async () => {
    const from = upstream.seen.length
    for (const url of [`http://${evilHost}/x.mp4`, `http://user@${evilHost}/x.mp4`, `http://127.0.0.1@${evilHost}/x.mp4`]) {
      expectContractError(await raw(`/api/jiekou/video?url=${encodeURIComponent(url)}`), [404])
    }
    expect(upstream.seen.length).toBe(from)
    expectContained(from)
  })

  it('a request line the HTTP parser refuses still gets a contract JSON 400', async () => {
    for (const target of ['/api/jiekou/v3 /async', '/api/jiekou/\u0001x']) {
      const res = await raw(target)
      expectContractError(res, [400])
    }
    expect(evil.seen).toEqual([])
  })
})

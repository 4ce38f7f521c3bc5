import { describe, expect, it } from 'vitest'
import { Hono } from 'hono'
import { originCheck } from './origin-check.ts'
import { isLoopbackHost, lanRefusal } from './lan-guard.ts'
import { closeAfterEach, startTestGateway } from './testing/gateway-harness.ts'

closeAfterEach()

const app = () => {
  const a = new Hono()
  a.use('/api/*', originCheck(['http://localhost:5173']))
  a.all('/api/x', (c) => c.json({ ok: true }))
  return a
}
const send = (method: string, headers: Record<string, string> = {}) =>
  app().request('http://studio.test:5317/api/x', { method, headers, ...(method === 'GET' ? {} : { body: '{}' }) })

describe('the Origin of state-changing requests', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('%s from another site is refused with words and a contract 403', async (method) => {
    const res = await send(method, { origin: 'https://evil.example' })
    expect(res.status).toBe(403)
    const body = (await res.json()) as { reason: string; message: string; metadata: { detail: string } }
    expect(body.reason).toBe('ACCESS_DENY')
    expect(body.message).toMatch(/came from another site/)
    expect(body.metadata.detail).toMatch(
      /Origin https:\/\/evil\.example is not the gateway's own \(http:\/\/studio\.test:5317\).*STUDIO_ALLOWED_ORIGINS/,
    )
  })

  it.each([
    ['its own origin', { origin: 'http://studio.test:5317' }, 200],
    ['an origin listed in STUDIO_ALLOWED_ORIGINS', { origin: 'http://localhost:5173' }, 200],
    ['a program with no Origin (curl, a script)', {}, 200],
    ['a browser that says cross-site with no Origin', { 'sec-fetch-site': 'cross-site' }, 403],
    ['an opaque origin ("null", a sandboxed frame)', { origin: 'null' }, 403],
    ['another port of the same host', { origin: 'http://studio.test:9999' }, 403],
  ] as const)('a POST from %s: %i', async (_, headers, status) => {
    expect((await send('POST', headers)).status).toBe(status)
  })

  it('lets reads through from anywhere (the answers carry no CORS header, so another site cannot read them)', async () => {
    const res = await send('GET', { origin: 'https://evil.example' })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('guards the real gateway: a cross-site submit never reaches the engine', async () => {
    const g = await startTestGateway()
    const res = await fetch(`${g.url}/api/local/v3/async/veo-3.1-generate-firstlastframe`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'x' }),
    })
    expect(res.status).toBe(403)
    expect(((await res.json()) as { reason: string }).reason).toBe('ACCESS_DENY')
  })
})

describe('the bind of a single-designer gateway', () => {
  it.each(['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true)
    expect(lanRefusal(host, false)).toBeUndefined()
  })

  it.each(['0.0.0.0', '::', '192.168.1.20', 'studio.local'])('%s is refused without STUDIO_ALLOW_LAN, and allowed with it', (host) => {
    expect(lanRefusal(host, false)).toMatch(/anyone on your network .* read its whole library and spend its provider key/)
    expect(lanRefusal(host, true)).toBeUndefined()
  })
})

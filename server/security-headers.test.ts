import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, type RunningServer } from './app.ts'
import { readConfig } from './config.ts'
import { createLogger } from './logger.ts'
import { loadCatalogue } from './catalogue.ts'

/* The security headers of a real gateway serving a built studio: on its pages, its assets and its API. */

const CSP =
  "default-src 'self'; img-src 'self' blob: data: https: http:; media-src 'self' blob: data: https:; object-src 'none'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

const tmp = mkdtempSync(join(tmpdir(), 'veo-headers-test-'))
let server: RunningServer

beforeAll(async () => {
  const dist = join(tmp, 'dist')
  mkdirSync(join(dist, 'assets'), { recursive: true })
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Veo Studio</title><div id="root"></div>')
  writeFileSync(join(dist, 'assets', 'index-9d1e.js'), 'console.log("studio")')
  const config = readConfig({ LOCAL_ENGINE_DATA_DIR: join(tmp, 'engine'), JIEKOU_BASE_URL: 'http://127.0.0.1:9' })
  server = await startServer({ config, models: await loadCatalogue(), logger: createLogger(() => {}), port: 0, distDir: dist })
})

afterAll(async () => {
  await server?.close()
  rmSync(tmp, { recursive: true, force: true })
})

const expectHeaders = (res: Response) => {
  expect(res.headers.get('content-security-policy')).toBe(CSP)
  expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  expect(res.headers.get('referrer-policy')).toBe('no-referrer')
  expect(res.headers.get('x-frame-options')).toBe('DENY')
  // Plain HTTP on loopback: HSTS is the TLS proxy's call.
  expect(res.headers.get('strict-transport-security')).toBeNull()
}

describe('security headers', () => {
  it.each([
    ['the studio at /', '/', 200],
    ['a client-side route', '/history', 200],
    ['a hashed asset', '/assets/index-9d1e.js', 200],
    ['a missing file', '/assets/gone.js', 404],
    ['/api/config', '/api/config', 200],
    ['an API error', '/api/nothing', 404],
    ['a local task-result', '/api/local/v3/async/task-result?task_id=none', 404],
    ['a jiekou answer', '/api/jiekou/v3/async/task-result?task_id=none', 401],
  ])('%s carries them', async (_name, path, status) => {
    const res = await fetch(server.url + path)
    expect(res.status).toBe(status)
    expectHeaders(res)
  })

  it('a refused submit (400, read past the body limit and idempotency) carries them too', async () => {
    const path = `/api/local${(await loadCatalogue())[0]!.path}`
    const refused = await fetch(server.url + path, { method: 'POST', body: 'not json', headers: { 'Content-Type': 'application/json' } })
    expect(refused.status).toBe(400)
    expectHeaders(refused)
  })
})

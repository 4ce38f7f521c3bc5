import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'node:http'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { gunzipSync } from 'node:zlib'
import { join } from 'node:path'
import { startServer, type RunningServer } from './app.ts'
import { readConfig } from './config.ts'
import { createLogger } from './logger.ts'
import { loadCatalogue } from './catalogue.ts'
import { MAX_BODY_BYTES } from './limits.ts'
import type { ModelSpec } from '../src/models/types.ts'

/* The gateway as a browser sees it: the body limit, the /api fallbacks, /api/config and the built SPA. */

const KEY = 'sk-app-test-4c9e1a7b'
const tmp = mkdtempSync(join(tmpdir(), 'veo-app-test-'))
const dist = join(tmp, 'dist')
const INDEX = '<!doctype html><title>Veo Studio</title><div id="root"></div>'
const ASSET = 'console.log("studio")'
/** A chunk the size of a real one: worth compressing. */
const BIG_ASSET = `export const words = ${JSON.stringify(Array.from({ length: 4000 }, (_, i) => `word ${i}`))}`

let models: readonly ModelSpec[]
let withKey: RunningServer
let withoutKey: RunningServer

async function start(env: Record<string, string>, distDir?: string) {
  const config = readConfig({ LOCAL_ENGINE_DATA_DIR: join(tmp, 'engine'), JIEKOU_BASE_URL: 'http://127.0.0.1:9', ...env })
  return startServer({ config, models, logger: createLogger(() => {}, [KEY]), port: 0, ...(distDir ? { distDir } : {}) })
}

beforeAll(async () => {
  mkdirSync(join(dist, 'assets'), { recursive: true })
  writeFileSync(join(dist, 'index.html'), INDEX)
  writeFileSync(join(dist, 'assets', 'index-3f2a9c.js'), ASSET)
  writeFileSync(join(dist, 'assets', 'studio-8d1e0b.js'), BIG_ASSET)
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  models = await loadCatalogue()
  withKey = await start({ JIEKOU_API_KEY: KEY }, dist)
  withoutKey = await start({})
})

afterAll(async () => {
  await Promise.all([withKey?.close(), withoutKey?.close()])
  rmSync(tmp, { recursive: true, force: true })
})

/**
 * POSTs `size` bytes without holding them in memory: one 1 MB chunk written over and over. With `chunked`,
 * no Content-Length is sent, so the server has to count. Resolves with the answer, even if the server
 * answers (and stops reading) before the body is all sent.
 */
function postBytes(url: string, size: number, chunked: boolean): Promise<{ status: number; body: string }> {
  const chunk = Buffer.alloc(1024 * 1024, 0x61)
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(chunked ? {} : { 'Content-Length': String(size) }) },
    })
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    // The server may close the connection after answering early; the answer is what counts.
    req.on('error', (err) => setTimeout(() => reject(err), 1_000))
    let sent = 0
    const pump = () => {
      while (sent < size && !req.destroyed) {
        const n = Math.min(chunk.length, size - sent)
        sent += n
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump)
      }
      req.end()
    }
    pump()
  })
}

describe('body limit', () => {
  const submit = () => withKey.url + '/api/jiekou' + models[0]!.path

  it.each([
    ['with Content-Length', false],
    ['chunked', true],
  ])('refuses a body one byte over the limit (%s) with 413 in contract shape', async (_name, chunked) => {
    const res = await postBytes(submit(), MAX_BODY_BYTES + 1, chunked)
    expect(res.status).toBe(413)
    const body = JSON.parse(res.body) as Record<string, unknown>
    expect(body).toMatchObject({ code: 413, reason: 'PAYLOAD_TOO_LARGE', metadata: { maxBytes: MAX_BODY_BYTES } })
    expect(body.message).toMatch(/larger than 53\.6 MB/)
    expect(body.message).toMatch(/smaller JPEG or PNG frames, or give the frames by URL/)
  })

  it('lets a body exactly at the limit through to the route', async () => {
    // An unknown /api path answers 404 without reading the body: no 413 means the limit let it pass.
    const res = await postBytes(withKey.url + '/api/nothing-here', MAX_BODY_BYTES, false)
    expect(res.status).toBe(404)
  })
})

describe('/api', () => {
  it.each(['GET', 'POST', 'DELETE'])('%s on an unknown path → 404 JSON in contract shape', async (method) => {
    const res = await fetch(withKey.url + '/api/v3/async/task-result', { method })
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toMatch(/application\/json/)
    expect(await res.json()).toMatchObject({
      code: 404,
      reason: 'NOT_FOUND',
      message: expect.stringContaining('/api/v3/async/task-result'),
      metadata: {},
    })
  })

  it('/api/config says whether the server holds a key, and never the key', async () => {
    const yes = await fetch(withKey.url + '/api/config')
    const text = await yes.text()
    // Only what the studio uses: no upstream address or anything else about the gateway's setup.
    expect(JSON.parse(text)).toEqual({ serverHoldsKey: true })
    expect(text).not.toContain(KEY)
    const no = await fetch(withoutKey.url + '/api/config')
    expect(await no.json()).toEqual({ serverHoldsKey: false })
  })
})

describe('the built studio', () => {
  it('serves index.html at / without caching', async () => {
    const res = await fetch(withKey.url + '/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/text\/html/)
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(await res.text()).toBe(INDEX)
  })

  it('serves hashed assets with a long cache, and other files without', async () => {
    const asset = await fetch(withKey.url + '/assets/index-3f2a9c.js')
    expect(asset.status).toBe(200)
    expect(asset.headers.get('content-type')).toMatch(/javascript/)
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(await asset.text()).toBe(ASSET)
    const icon = await fetch(withKey.url + '/favicon.svg')
    expect(icon.status).toBe(200)
    expect(icon.headers.get('cache-control')).toBe('no-cache')
  })

  it('sends the studio gzipped to a browser that takes gzip, and as it is to one that does not', async () => {
    const gzipped = await rawGet(withKey.url + '/assets/studio-8d1e0b.js', { 'accept-encoding': 'gzip, deflate, br' })
    expect(gzipped.headers['content-encoding']).toBe('gzip')
    expect(gzipped.headers['vary']).toMatch(/accept-encoding/i)
    expect(gzipped.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(gzipped.body.length).toBeLessThan(BIG_ASSET.length / 4)
    expect(gunzipSync(gzipped.body).toString()).toBe(BIG_ASSET)
    const plain = await rawGet(withKey.url + '/assets/studio-8d1e0b.js', {})
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.toString()).toBe(BIG_ASSET)
  })

  it('answers client-side routes with index.html', async () => {
    for (const path of ['/history', '/studio/veo-3.1/abc']) {
      const res = await fetch(withKey.url + path)
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('no-cache')
      expect(await res.text()).toBe(INDEX)
    }
  })

  it('does not answer a missing file or an /api path with index.html', async () => {
    const asset = await fetch(withKey.url + '/assets/index-gone.js')
    expect(asset.status).toBe(404)
    expect(await asset.text()).not.toContain('<title>')
    const api = await fetch(withKey.url + '/api/history')
    expect(api.status).toBe(404)
    expect(await api.json()).toMatchObject({ reason: 'NOT_FOUND' })
  })

  it('does not leave the dist folder through ..', async () => {
    writeFileSync(join(tmp, 'secret.txt'), 'outside')
    const res = await fetch(withKey.url + '/assets/%2e%2e/%2e%2e/secret.txt')
    expect(await res.text()).not.toContain('outside')
  })
})

/** A GET as it arrives on the wire (fetch would undo the compression), with the headers given and no others. */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

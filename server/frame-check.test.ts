import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from './app.ts'
import { loadCatalogue } from './catalogue.ts'
import { readConfig } from './config.ts'
import { createLogger } from './logger.ts'
import { makeImage } from './testing/media.ts'

/* GET /api/frame-check against a real gateway, with a loopback server standing in for the web. */

let work = ''
let images: Server
let imagesUrl = ''
let open: RunningServer // LOCAL_ENGINE_ALLOW_PRIVATE_URLS=1: loopback counts as the web
let guarded: RunningServer // the default: loopback is refused
let png: Buffer
let jpg: Buffer
let hits = 0

async function gateway(env: Record<string, string>) {
  const config = readConfig({ LOCAL_ENGINE_DATA_DIR: join(work, 'engine'), LOCAL_ENGINE_FETCH_TIMEOUT_MS: '1000', ...env })
  return startServer({ config, models: await loadCatalogue(), logger: createLogger(() => {}), port: 0 })
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'frame-check-'))
  png = await readFile(await makeImage(join(work, 'a.png'), { width: 1000, height: 666, kind: 'png', pattern: 'boxes' }))
  jpg = await readFile(await makeImage(join(work, 'b.jpg'), { width: 640, height: 962, kind: 'jpeg', pattern: 'bars' }))
  const huge = Buffer.alloc(21 * 1024 * 1024, 0)
  images = createServer((req, res) => {
    hits++
    if (req.url === '/a.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(png)
    if (req.url === '/b.jpg') return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpg)
    if (req.url === '/page') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Log in</title>')
    if (req.url === '/huge.png') return res.writeHead(200, { 'content-length': String(huge.length) }).end(huge)
    if (req.url === '/cut.png') return res.writeHead(200).end(png.subarray(0, 16))
    res.writeHead(404).end('Not here')
  })
  await new Promise<void>((r) => images.listen(0, '127.0.0.1', r))
  imagesUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}`
  open = await gateway({ LOCAL_ENGINE_ALLOW_PRIVATE_URLS: '1' })
  guarded = await gateway({})
})

afterAll(async () => {
  await Promise.all([open?.close(), guarded?.close()])
  images?.closeAllConnections()
  await new Promise((r) => images?.close(r))
  await rm(work, { recursive: true, force: true })
})

const check = async (server: RunningServer, url: string | undefined) => {
  const res = await fetch(`${server.url}/api/frame-check${url === undefined ? '' : `?url=${encodeURIComponent(url)}`}`)
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

/**
 * A refusal in the contract's shape, as {message, detail}; the plain sentence never carries the technical words
 * (codes, statuses, field names, addresses), which go in metadata.detail.
 */
async function refusal(got: Promise<{ status: number; json: Record<string, unknown> }>) {
  const { status, json } = await got
  expect(status).toBe(400)
  expect(Object.keys(json).sort()).toEqual(['code', 'message', 'metadata', 'reason'])
  expect(json).toMatchObject({ code: 400, reason: 'INVALID_REQUEST_BODY' })
  expect(json.message).not.toMatch(/\bE[A-Z]{3,}\b|HTTP \d|\burl\b|127\.0\.0\.1/)
  return { message: json.message, detail: (json.metadata as { detail?: unknown }).detail }
}

const plain = (message: string | RegExp, detail: RegExp) => ({
  message: typeof message === 'string' ? message : expect.stringMatching(message),
  detail: expect.stringMatching(detail),
})

describe('GET /api/frame-check', () => {
  it('answers the type, pixel size and bytes of a PNG and a JPEG', async () => {
    expect(await check(open, `${imagesUrl}/a.png`)).toEqual({
      status: 200,
      json: { mime: 'image/png', width: 1000, height: 666, bytes: png.length },
    })
    expect(await check(open, `${imagesUrl}/b.jpg`)).toEqual({
      status: 200,
      json: { mime: 'image/jpeg', width: 640, height: 962, bytes: jpg.length },
    })
  })

  it('refuses a web page, naming what it is', async () => {
    expect(await refusal(check(open, `${imagesUrl}/page`))).toEqual(
      plain(/^This address is not a JPEG or PNG \(it is a web page\)\. /, /web page/),
    )
  })

  it('refuses an address that cannot be reached, with the status in the details', async () => {
    expect(await refusal(check(open, `${imagesUrl}/missing.png`))).toEqual(
      plain("This address can't be reached. Check the link, or drop the file instead.", /HTTP 404/),
    )
    expect(await refusal(check(open, 'http://no-such-host.invalid/a.png'))).toEqual(
      plain(/^This address can't be reached\./, /ENOTFOUND|EAI_AGAIN/),
    )
  })

  it('refuses an image over 20 MB, before reading it', async () => {
    expect(await refusal(check(open, `${imagesUrl}/huge.png`))).toEqual(
      plain(/^This image is over 20 MB\./, /21\.0 MB, over the 20 MB limit/),
    )
  })

  it('refuses an image whose header is cut short', async () => {
    expect(await refusal(check(open, `${imagesUrl}/cut.png`))).toEqual(plain(/^This image can't be read/, /no readable pixel size/))
  })

  it('refuses what is not an http(s) URL, and a missing one', async () => {
    expect(await refusal(check(open, 'not a link'))).toEqual(plain(/^This is not a web address\./, /not a valid URL/))
    expect(await refusal(check(open, 'file:///etc/passwd'))).toEqual(plain(/^Only http and https links/, /file: URL/))
    expect(await refusal(check(open, undefined))).toEqual(plain(/^Give an image address/, /url query parameter/))
  })

  it('refuses a private address unless LOCAL_ENGINE_ALLOW_PRIVATE_URLS is set, without fetching it', async () => {
    const before = hits
    expect(await refusal(check(guarded, `${imagesUrl}/a.png`))).toEqual(
      plain(/^This address points inside a private network/, /private or loopback address \(127\.0\.0\.1\)/),
    )
    expect(hits).toBe(before)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeBase64, fetchImage, sniff } from './frames.ts'
import { ContractError } from '../errors.ts'
import { isPrivateAddress } from '../guarded-fetch.ts'
import { MAX_IMAGE_BYTES } from '../limits.ts'

const b = (...bytes: number[]) => Uint8Array.from(bytes)
const s = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'))

describe('sniff', () => {
  it('knows PNG and JPEG by their bytes, and names the usual others', () => {
    expect(sniff(b(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('png')
    expect(sniff(b(0xff, 0xd8, 0xff, 0xe0))).toBe('jpeg')
    expect(sniff(s('GIF89a....'))).toEqual({ other: 'a GIF' })
    expect(sniff(s('RIFF\0\0\0\0WEBPVP8 '))).toEqual({ other: 'a WebP image' })
    expect(sniff(s('\0\0\0\x18ftypheic'))).toEqual({ other: 'a HEIC image' })
    expect(sniff(s('<svg xmlns='))).toEqual({ other: 'an SVG drawing, not a picture file' })
    expect(sniff(s('<html><body>Sign in'))).toEqual({ other: 'a web page (HTML), not an image' })
    expect(sniff(s('%PDF-1.4'))).toEqual({ other: 'a PDF' })
    expect(sniff(b())).toEqual({ other: 'empty' })
  })
})

describe('decodeBase64', () => {
  it('takes plain, data:-prefixed and URL-safe base64', () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xfb, 0xfe, 0x01])
    expect(decodeBase64('image', bytes.toString('base64'))).toEqual(bytes)
    expect(decodeBase64('image', `data:image/png;base64,${bytes.toString('base64')}`)).toEqual(bytes)
    expect(decodeBase64('image', bytes.toString('base64url'))).toEqual(bytes)
  })
  it('refuses what is not base64, and what is too big before decoding it', () => {
    expect(() => decodeBase64('image', 'hello world!')).toThrow(/^image is neither an http\(s\) URL nor valid base64/)
    expect(() => decodeBase64('image', 'data:image/png,abc')).toThrow(ContractError)
    expect(() => decodeBase64('image', 'A'.repeat(Math.ceil(((MAX_IMAGE_BYTES + 3) * 4) / 3)))).toThrow(/over the 20 MB limit/)
  })
})

describe('fetchImage and private addresses', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])
  let server: Server
  let base: string
  const hits: string[] = []
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '')
      if (req.url === '/ok.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(png)
      if (req.url === '/to-private') return res.writeHead(302, { location: 'http://10.9.8.7/x.png' }).end()
      if (req.url === '/to-ok') return res.writeHead(307, { location: '/ok.png' }).end()
      if (req.url === '/to-file') return res.writeHead(302, { location: 'file:///etc/passwd' }).end()
      if (req.url?.startsWith('/loop')) return res.writeHead(302, { location: `/loop${hits.length}` }).end()
      res.writeHead(500, 'Secret Internal Reason').end('stack trace with internal details')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  })

  const refusal = async (p: Promise<unknown>) => {
    const err = (await p.then(
      () => undefined,
      (e: unknown) => e,
    )) as ContractError
    expect(err).toBeInstanceOf(ContractError)
    expect(err.status).toBe(400)
    expect(err.reason).toBe('INVALID_REQUEST_BODY')
    return err.message
  }
  // Loopback counts as public here, so the stub's first hop goes through and what follows is what is checked.
  const loopbackIsPublic = (a: string) => isPrivateAddress(a) && !a.startsWith('127.')

  it('refuses loopback by literal address and by name (after DNS), without sending anything', async () => {
    const before = hits.length
    const port = new URL(base).port
    expect(await refusal(fetchImage('image_url', `${base}/ok.png`, { timeoutMs: 2000 }))).toBe(
      'image_url points at a private or loopback address (127.0.0.1): use a public URL or send the image as base64',
    )
    expect(await refusal(fetchImage('last_image', `http://localhost:${port}/ok.png`, { timeoutMs: 2000 }))).toMatch(
      /^last_image points at a private or loopback address \((127\.0\.0\.1|::1)\)/,
    )
    expect(await refusal(fetchImage('image', `http://[::ffff:7f00:1]:${port}/ok.png`, { timeoutMs: 2000 }))).toMatch(
      /^image points at a private/,
    )
    expect(await refusal(fetchImage('image', `http://2130706433:${port}/ok.png`, { timeoutMs: 2000 }))).toMatch(/\(127\.0\.0\.1\)/)
    expect(hits.length).toBe(before)
  })

  it('checks every redirect hop, and follows at most three', async () => {
    expect(await refusal(fetchImage('image_url', `${base}/to-private`, { timeoutMs: 2000, isBlocked: loopbackIsPublic }))).toBe(
      'image_url redirects to a private or loopback address (10.9.8.7): use a public URL or send the image as base64',
    )
    expect(await refusal(fetchImage('image_url', `${base}/to-file`, { timeoutMs: 2000, isBlocked: loopbackIsPublic }))).toMatch(
      /redirects to a file: URL/,
    )
    expect(await fetchImage('image_url', `${base}/to-ok`, { timeoutMs: 2000, isBlocked: loopbackIsPublic })).toEqual(png)
    const before = hits.length
    expect(await refusal(fetchImage('image_url', `${base}/loop`, { timeoutMs: 2000, allowPrivateUrls: true }))).toMatch(
      /more than 3 redirects/,
    )
    expect(hits.length - before).toBe(4)
  })

  it('fetches from loopback when allowed, and never repeats what the other server said', async () => {
    expect(await fetchImage('image_url', `${base}/ok.png`, { timeoutMs: 2000, allowPrivateUrls: true })).toEqual(png)
    const message = await refusal(fetchImage('image_url', `${base}/boom`, { timeoutMs: 2000, allowPrivateUrls: true }))
    expect(message).toMatch(/HTTP 500/)
    expect(message).not.toMatch(/Secret|stack trace/)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { guardedFetch, GuardedFetchError, isPrivateAddress, type GuardedFetchFailure, type GuardedFetchOptions } from './guarded-fetch.ts'

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::',
    '::1',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:a00:1',
    'not-an-address',
  ])('%s is refused', (a) => expect(isPrivateAddress(a)).toBe(true))
  it.each(['8.8.8.8', '172.32.0.1', '172.15.255.255', '192.169.0.1', '1.1.1.1', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (a) =>
    expect(isPrivateAddress(a)).toBe(false),
  )
})

describe('guardedFetch', () => {
  const MB = 1024 * 1024
  const big = Buffer.alloc(2 * MB, 1)
  let server: Server
  let base: string
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/small') return res.writeHead(200).end('twelve bytes')
      if (req.url === '/declared') return res.writeHead(200, { 'content-length': String(big.length) }).end(big)
      // Chunked, no length: the fetch has to count.
      if (req.url === '/streamed') return res.writeHead(200).end(big)
      res.writeHead(404).end()
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  })

  const options = { name: 'the frame URL', timeoutMs: 2000, maxBytes: MB, allowPrivateUrls: true }
  const failure = (url: string, over: Partial<GuardedFetchOptions> = {}) =>
    guardedFetch(url, { ...options, ...over }).then(
      () => undefined,
      (err: unknown) => {
        expect(err).toBeInstanceOf(GuardedFetchError)
        const { kind, message } = err as GuardedFetchError
        return { kind, message }
      },
    )

  it('answers the bytes', async () => {
    expect((await guardedFetch(`${base}/small`, options)).toString()).toBe('twelve bytes')
  })

  it.each<[string, (base: string) => string, Partial<GuardedFetchOptions>, GuardedFetchFailure, string | RegExp]>([
    ['not a URL', () => 'not a url', {}, 'invalid-url', 'the frame URL is not a valid URL'],
    ['another scheme', () => 'ftp://example.com/a.png', {}, 'scheme', 'the frame URL is a ftp: URL'],
    [
      'a private address',
      (b) => `${b}/small`,
      { allowPrivateUrls: false },
      'private-address',
      'the frame URL points at a private or loopback address (127.0.0.1)',
    ],
    ['an error status', (b) => `${b}/missing`, {}, 'unreachable', 'the frame URL could not be fetched (the server answered HTTP 404)'],
    ['a declared size over the cap', (b) => `${b}/declared`, {}, 'too-big', 'the frame URL is 2.0 MB, over the 1 MB limit'],
    [
      'a counted size over the cap',
      (b) => `${b}/streamed`,
      {},
      'too-big',
      /^the frame URL is over the 1 MB limit \(stopped reading at 1\.\d MB\)$/,
    ],
  ])('%s: a plain message naming the URL', async (_name, url, over, kind, message) => {
    const got = await failure(url(base), over)
    expect(got?.kind).toBe(kind)
    expect(got?.message).toMatch(message)
  })
})

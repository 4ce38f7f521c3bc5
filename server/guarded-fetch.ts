import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'
import { megabytes, seconds, sizeOverLimit } from './format.ts'

/*
 * Fetching a URL that someone else chose, without letting it reach into our own network: only http(s), only public
 * addresses (every address a name resolves to, checked after DNS and again at every redirect), at most
 * MAX_REDIRECTS redirects, one time limit for all of it, and a size cap enforced while reading. It answers the bytes
 * or a GuardedFetchError whose message is a plain sentence naming the URL and the problem, to which a caller adds
 * what the person should do instead.
 */

/** What went wrong, for a caller that words its advice per kind. */
export type GuardedFetchFailure = 'invalid-url' | 'scheme' | 'private-address' | 'unreachable' | 'too-big'

export class GuardedFetchError extends Error {
  constructor(
    readonly kind: GuardedFetchFailure,
    message: string,
  ) {
    super(message)
  }
}

export interface GuardedFetchOptions {
  /** How the URL is named in messages: "image_url" gives "image_url points at a private or loopback address (…)". */
  name: string
  /** One limit for the lookups, the redirects and the download. */
  timeoutMs: number
  /** Reading stops, and the fetch fails, past this many bytes. */
  maxBytes: number
  /** The Accept header. */
  accept?: string
  /** Let the URL reach loopback and private addresses (tests, a LAN host): LOCAL_ENGINE_ALLOW_PRIVATE_URLS. */
  allowPrivateUrls?: boolean
  /** Which addresses are refused; only tests replace it. */
  isBlocked?: (address: string) => boolean
}

/** At most this many redirects are followed, each one checked like the first URL. */
const MAX_REDIRECTS = 3
const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** Addresses a fetch may not lead to: loopback, private, link-local, unique-local, unspecified, CGNAT. */
const PRIVATE_RANGES = (() => {
  const list = new BlockList()
  list.addSubnet('0.0.0.0', 8, 'ipv4') // "this network", 0.0.0.0 included
  list.addSubnet('127.0.0.0', 8, 'ipv4')
  list.addSubnet('10.0.0.0', 8, 'ipv4')
  list.addSubnet('172.16.0.0', 12, 'ipv4')
  list.addSubnet('192.168.0.0', 16, 'ipv4')
  list.addSubnet('169.254.0.0', 16, 'ipv4') // link-local, where cloud metadata services live
  list.addSubnet('100.64.0.0', 10, 'ipv4') // carrier-grade NAT, shared address space
  list.addAddress('::', 'ipv6')
  list.addAddress('::1', 'ipv6')
  list.addSubnet('fe80::', 10, 'ipv6')
  list.addSubnet('fc00::', 7, 'ipv6')
  return list
})()

/** True for an address a fetch must not reach; IPv4-mapped IPv6 (::ffff:127.0.0.1) counts as its IPv4 address. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 0) return true // not an address at all: refuse rather than guess
  return PRIVATE_RANGES.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

/** Resolves to `promise`, or rejects when `signal` aborts first (dns.lookup cannot be cancelled itself). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

/** The body of `url`, fetched under the rules above. */
export async function guardedFetch(url: string, options: GuardedFetchOptions): Promise<Buffer> {
  const { name, timeoutMs, maxBytes, accept = '*/*', allowPrivateUrls = false, isBlocked = isPrivateAddress } = options
  const timeout = AbortSignal.timeout(Math.max(1, timeoutMs))
  const fail = (kind: GuardedFetchFailure, message: string) => new GuardedFetchError(kind, `${name} ${message}`)
  const unreachable = (why: string) => fail('unreachable', `could not be fetched (${why})`)
  const networkError = (err: unknown) => {
    if (err instanceof GuardedFetchError) return err
    if (timeout.aborted) return unreachable(`no answer within ${seconds(timeoutMs)}`)
    const cause = (err as { cause?: { code?: string; message?: string } }).cause
    const code = (err as { code?: unknown }).code
    return unreachable(cause?.code ?? (typeof code === 'string' ? code : undefined) ?? cause?.message ?? (err as Error).message)
  }

  /** Every address the host resolves to must be public: the connection may use any of them. */
  const checkHost = async (target: URL, hop: number) => {
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1')
    const addresses = isIP(host) ? [host] : (await untilAborted(lookup(host, { all: true, verbatim: true }), timeout)).map((a) => a.address)
    const blocked = addresses.find((a) => isBlocked(a))
    if (blocked !== undefined)
      throw fail('private-address', `${hop === 0 ? 'points at' : 'redirects to'} a private or loopback address (${blocked})`)
  }

  let response: Response
  let target: URL
  try {
    target = new URL(url)
  } catch {
    throw fail('invalid-url', 'is not a valid URL')
  }
  try {
    for (let hop = 0; ; hop++) {
      if (target.protocol !== 'http:' && target.protocol !== 'https:')
        throw fail('scheme', `${hop === 0 ? 'is' : 'redirects to'} a ${target.protocol} URL`)
      if (!allowPrivateUrls) await checkHost(target, hop)
      // Redirects are followed here, one at a time, so each new host is checked before anything is sent to it.
      response = await fetch(target, { signal: timeout, redirect: 'manual', headers: { accept } })
      const location = REDIRECTS.has(response.status) ? response.headers.get('location') : null
      if (location === null) break
      await response.body?.cancel().catch(() => {})
      if (hop >= MAX_REDIRECTS) throw unreachable(`more than ${MAX_REDIRECTS} redirects`)
      try {
        target = new URL(location, target)
      } catch {
        throw unreachable(`a redirect to an invalid URL`)
      }
    }
  } catch (err) {
    throw networkError(err)
  }
  if (!response.ok) {
    // Only the status: the body (and the reason phrase) are the other server's words, not ours to repeat.
    await response.body?.cancel().catch(() => {})
    throw unreachable(`the server answered HTTP ${response.status}`)
  }
  const declared = Number(response.headers.get('content-length') ?? NaN)
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {})
    throw fail('too-big', `is ${sizeOverLimit(declared, maxBytes)}`)
  }
  if (!response.body) return Buffer.alloc(0)
  const chunks: Buffer[] = []
  let total = 0
  const reader = response.body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > maxBytes) {
        await reader.cancel().catch(() => {})
        throw fail('too-big', `is over the ${megabytes(maxBytes)} limit (stopped reading at ${megabytes(total, { fixed: true })})`)
      }
      chunks.push(Buffer.from(value))
    }
  } catch (err) {
    if (err instanceof GuardedFetchError) throw err
    throw unreachable(timeout.aborted ? `the download took longer than ${seconds(timeoutMs)}` : (err as Error).message)
  }
  return Buffer.concat(chunks, total)
}

import { execFile } from 'node:child_process'
import { lookup } from 'node:dns/promises'
import { writeFile } from 'node:fs/promises'
import { BlockList, isIP } from 'node:net'
import { promisify } from 'node:util'
import { MAX_IMAGE_BYTES } from '../limits.ts'
import { ContractError, invalidRequestBody } from '../errors.ts'
import { findTools } from './ffmpeg.ts'
import { megabytes, seconds, sizeOverLimit } from '../format.ts'
import { sniffImageType } from '../../src/lib/image-type.ts'

/*
 * Frames at submit time: a field's value (base64, with or without a data: prefix, or an http(s) URL) becomes
 * checked image bytes, or a 400 that names the field, the problem and the fix. The type is judged by the bytes,
 * never by a data: prefix or a file extension, and the image is actually decoded before a task id is given.
 * A URL is fetched only from a public address (checked after DNS and again at every redirect), unless the
 * gateway opts out with LOCAL_ENGINE_ALLOW_PRIVATE_URLS=1: the engine must not become a way into the local network.
 */

const run = promisify(execFile)

export type ImageKind = 'png' | 'jpeg'

export interface Frame {
  /** The body field the frame came from, e.g. "last_image". */
  field: string
  kind: ImageKind
  bytes: Buffer
  width: number
  height: number
}

/** What the first bytes say the file is (the sniffer the studio uses too): 'png', 'jpeg', or what else it is. */
export function sniff(bytes: Uint8Array): ImageKind | { other: string } {
  const type = sniffImageType(bytes)
  if (!type.mime) return { other: type.kind }
  return type.mime === 'image/png' ? 'png' : 'jpeg'
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/
const DATA_PREFIX = /^data:([^,]*?),/i

/** Decodes base64 (standard or URL-safe, with or without a data: prefix); refuses oversize input before decoding it. */
export function decodeBase64(field: string, value: string): Buffer {
  let body = value
  const prefix = DATA_PREFIX.exec(value)
  if (prefix) {
    if (!/;base64$/i.test(prefix[1] ?? '')) throw invalidRequestBody(`${field} is a data: URL without ";base64": send the image as base64`)
    body = value.slice(prefix[0].length)
  }
  body = body.replace(/\s+/g, '')
  // 4 base64 characters carry 3 bytes: refuse what is certainly too big without allocating it.
  const approx = Math.floor((body.length * 3) / 4) - (body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0)
  if (approx > MAX_IMAGE_BYTES) throw tooBig(field, approx)
  if (body.length === 0) throw invalidRequestBody(`${field} is empty: give a JPEG or PNG as base64 or an http(s) URL`)
  if (!BASE64.test(body) || body.length % 4 === 1)
    throw invalidRequestBody(`${field} is neither an http(s) URL nor valid base64: give a JPEG or PNG as base64 or a public URL`)
  return Buffer.from(body, body.includes('-') || body.includes('_') ? 'base64url' : 'base64')
}

const tooBig = (field: string, bytes: number) =>
  invalidRequestBody(`${field} is ${sizeOverLimit(bytes, MAX_IMAGE_BYTES)}: use a smaller JPEG or PNG`)

/** Addresses a frame URL may not lead to: loopback, private, link-local, unique-local, unspecified, CGNAT. */
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

export interface FetchOptions {
  timeoutMs: number
  /** LOCAL_ENGINE_ALLOW_PRIVATE_URLS: let frame URLs reach loopback and private addresses (tests, a LAN image host). */
  allowPrivateUrls?: boolean
  /** Which addresses are refused; only tests replace it. */
  isBlocked?: (address: string) => boolean
}

/** At most this many redirects are followed, each one checked like the first URL. */
export const MAX_REDIRECTS = 3
const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** Resolves to `promise`, or rejects when `signal` aborts first (dns.lookup cannot be cancelled itself). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

/** Fetches a frame by URL with a timeout, refusing anything past the size cap without reading the rest. */
export async function fetchImage(field: string, url: string, options: FetchOptions): Promise<Buffer> {
  const { timeoutMs, allowPrivateUrls = false, isBlocked = isPrivateAddress } = options
  const timeout = AbortSignal.timeout(Math.max(1, timeoutMs))
  const failed = (why: string) =>
    invalidRequestBody(`${field} could not be fetched (${why}): give a public URL to a JPEG or PNG, or send the image as base64`)
  const networkError = (err: unknown) => {
    if (err instanceof ContractError) return err
    if (timeout.aborted) return failed(`no answer within ${seconds(timeoutMs)}`)
    const cause = (err as { cause?: { code?: string; message?: string } }).cause
    const code = (err as { code?: unknown }).code
    return failed(cause?.code ?? (typeof code === 'string' ? code : undefined) ?? cause?.message ?? (err as Error).message)
  }

  /** Every address the host resolves to must be public: the connection may use any of them. */
  const checkHost = async (target: URL, hop: number) => {
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1')
    const addresses = isIP(host) ? [host] : (await untilAborted(lookup(host, { all: true, verbatim: true }), timeout)).map((a) => a.address)
    const blocked = addresses.find((a) => isBlocked(a))
    if (blocked !== undefined) {
      const how = hop === 0 ? 'points at' : 'redirects to'
      throw invalidRequestBody(`${field} ${how} a private or loopback address (${blocked}): use a public URL or send the image as base64`)
    }
  }

  let response: Response
  let target: URL
  try {
    target = new URL(url)
  } catch {
    throw invalidRequestBody(`${field} is not a valid URL: give a public http(s) URL to a JPEG or PNG, or send the image as base64`)
  }
  try {
    for (let hop = 0; ; hop++) {
      if (target.protocol !== 'http:' && target.protocol !== 'https:') {
        throw invalidRequestBody(
          `${field} ${hop === 0 ? 'is' : 'redirects to'} a ${target.protocol} URL: only http(s) is fetched; send the image as base64 instead`,
        )
      }
      if (!allowPrivateUrls) await checkHost(target, hop)
      // Redirects are followed here, one at a time, so each new host is checked before anything is sent to it.
      response = await fetch(target, { signal: timeout, redirect: 'manual', headers: { accept: 'image/png, image/jpeg;q=0.9, */*;q=0.1' } })
      const location = REDIRECTS.has(response.status) ? response.headers.get('location') : null
      if (location === null) break
      await response.body?.cancel().catch(() => {})
      if (hop >= MAX_REDIRECTS) throw failed(`more than ${MAX_REDIRECTS} redirects`)
      try {
        target = new URL(location, target)
      } catch {
        throw failed(`a redirect to an invalid URL`)
      }
    }
  } catch (err) {
    throw networkError(err)
  }
  if (!response.ok) {
    // Only the status: the body (and the reason phrase) are the other server's words, not ours to repeat.
    await response.body?.cancel().catch(() => {})
    throw failed(`the server answered HTTP ${response.status}`)
  }
  const declared = Number(response.headers.get('content-length') ?? NaN)
  if (Number.isFinite(declared) && declared > MAX_IMAGE_BYTES) {
    await response.body?.cancel().catch(() => {})
    throw tooBig(field, declared)
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
      if (total > MAX_IMAGE_BYTES) {
        await reader.cancel().catch(() => {})
        throw invalidRequestBody(
          `${field} is over the ${megabytes(MAX_IMAGE_BYTES)} limit (stopped reading at ${megabytes(total, { fixed: true })}): use a smaller JPEG or PNG`,
        )
      }
      chunks.push(Buffer.from(value))
    }
  } catch (err) {
    if (err instanceof ContractError) throw err
    throw failed(timeout.aborted ? `the download took longer than ${seconds(timeoutMs)}` : (err as Error).message)
  }
  return Buffer.concat(chunks, total)
}

/**
 * Decodes the image with ffmpeg, as strictly as it allows, so a truncated or corrupt file is refused now
 * rather than failing a render later. Resolves to its size.
 */
export async function decodeCheck(field: string, file: string, kind: ImageKind): Promise<{ width: number; height: number }> {
  const { ffmpeg, ffprobe } = await findTools()
  const format = kind === 'png' ? 'png_pipe' : 'jpeg_pipe'
  const unreadable = (detail: string) =>
    invalidRequestBody(
      `${field} is a ${kind === 'png' ? 'PNG' : 'JPEG'} that cannot be decoded (${detail}): the file looks truncated or corrupt; export it again as JPEG or PNG`,
    )
  let width = 0
  let height = 0
  try {
    const { stdout } = await run(ffprobe, ['-v', 'error', '-f', format, '-show_entries', 'stream=width,height', '-of', 'json', file], {
      timeout: 20_000,
    })
    const stream = (JSON.parse(stdout) as { streams?: { width?: number; height?: number }[] }).streams?.[0]
    width = stream?.width ?? 0
    height = stream?.height ?? 0
  } catch (err) {
    throw unreadable(firstLine(err))
  }
  if (!(width > 0 && height > 0)) throw unreadable('no picture size in its header')
  if (width > 16384 || height > 16384)
    throw invalidRequestBody(`${field} is ${width}×${height} pixels, larger than 16384 on a side: scale it down`)
  try {
    const args = [
      '-v',
      'error',
      '-nostdin',
      '-xerror',
      '-err_detect',
      'explode',
      '-f',
      format,
      '-i',
      file,
      '-frames:v',
      '1',
      '-f',
      'null',
      '-',
    ]
    const { stderr } = await run(ffmpeg, args, { timeout: 30_000 })
    if (stderr.trim()) throw Object.assign(new Error(stderr), { stderr })
  } catch (err) {
    throw unreadable(firstLine(err))
  }
  return { width, height }
}

function firstLine(err: unknown): string {
  const e = err as { stderr?: string; message?: string; killed?: boolean }
  if (e.killed) return 'decoding took too long'
  const text = (e.stderr || e.message || 'unknown error').trim().split('\n')[0] ?? ''
  // "[png @ 0x55…] chunk too big" → "chunk too big"
  return text.replace(/^\[[^\]]*\]\s*/, '').slice(0, 160) || 'unknown error'
}

/** Turns a field's bytes into a checked frame, written to `file` (the caller picks the name, we add the extension). */
export async function checkFrame(field: string, bytes: Buffer, fileBase: string): Promise<Frame & { file: string }> {
  if (bytes.length > MAX_IMAGE_BYTES) throw tooBig(field, bytes.length)
  const kind = sniff(bytes)
  if (typeof kind !== 'string') throw invalidRequestBody(`${field} is ${kind.other}: use a JPEG or PNG`)
  const file = `${fileBase}.${kind === 'png' ? 'png' : 'jpg'}`
  await writeFile(file, bytes)
  const { width, height } = await decodeCheck(field, file, kind)
  return { field, kind, bytes, width, height, file }
}

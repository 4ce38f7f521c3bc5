import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { MAX_IMAGE_BYTES } from '../limits.ts'
import { ContractError } from '../errors.ts'
import { findTools } from './ffmpeg.ts'

/*
 * Frames at submit time: a field's value (base64, with or without a data: prefix, or an http(s) URL) becomes
 * checked image bytes, or a 400 that names the field, the problem and the fix. The type is judged by the bytes,
 * never by a data: prefix or a file extension, and the image is actually decoded before a task id is given.
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

const MB = 1024 * 1024
const LIMIT_TEXT = `${MAX_IMAGE_BYTES / MB} MB`

const refuse = (message: string) => new ContractError(400, 'INVALID_REQUEST_BODY', message)

/** What the first bytes say the file is; only PNG and JPEG are accepted, the rest are named so the message helps. */
export function sniff(bytes: Uint8Array): ImageKind | { other: string } {
  const starts = (sig: readonly number[], at = 0) => sig.every((b, i) => bytes[at + i] === b)
  const ascii = (from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString('latin1')
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png'
  if (starts([0xff, 0xd8, 0xff])) return 'jpeg'
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return { other: 'a GIF' }
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return { other: 'a WebP image' }
  if (ascii(0, 2) === 'BM') return { other: 'a BMP image' }
  if (starts([0x49, 0x49, 0x2a, 0x00]) || starts([0x4d, 0x4d, 0x00, 0x2a])) return { other: 'a TIFF image' }
  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12)
    if (/^(heic|heix|hevc|mif1|msf1)$/.test(brand)) return { other: 'a HEIC image' }
    if (/^avi[fs]$/.test(brand)) return { other: 'an AVIF image' }
    return { other: 'a video or other MP4-family file' }
  }
  if (/^\s*</.test(ascii(0, 64))) return { other: 'text (HTML or SVG), not an image' }
  if (bytes.length === 0) return { other: 'empty' }
  return { other: 'not a JPEG or PNG (its first bytes match no image format)' }
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/
const DATA_PREFIX = /^data:([^,]*?),/i

/** Decodes base64 (standard or URL-safe, with or without a data: prefix); refuses oversize input before decoding it. */
export function decodeBase64(field: string, value: string): Buffer {
  let body = value
  const prefix = DATA_PREFIX.exec(value)
  if (prefix) {
    if (!/;base64$/i.test(prefix[1] ?? '')) throw refuse(`${field} is a data: URL without ";base64": send the image as base64`)
    body = value.slice(prefix[0].length)
  }
  body = body.replace(/\s+/g, '')
  // 4 base64 characters carry 3 bytes: refuse what is certainly too big without allocating it.
  const approx = Math.floor((body.length * 3) / 4) - (body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0)
  if (approx > MAX_IMAGE_BYTES) throw tooBig(field, approx)
  if (body.length === 0) throw refuse(`${field} is empty: give a JPEG or PNG as base64 or an http(s) URL`)
  if (!BASE64.test(body) || body.length % 4 === 1)
    throw refuse(`${field} is neither an http(s) URL nor valid base64: give a JPEG or PNG as base64 or a public URL`)
  return Buffer.from(body, body.includes('-') || body.includes('_') ? 'base64url' : 'base64')
}

const tooBig = (field: string, bytes: number) =>
  refuse(`${field} is ${(bytes / MB).toFixed(1)} MB, over the ${LIMIT_TEXT} limit: use a smaller JPEG or PNG`)

/** Fetches a frame by URL with a timeout, refusing anything past the size cap without reading the rest. */
export async function fetchImage(field: string, url: string, timeoutMs: number): Promise<Buffer> {
  const timeout = AbortSignal.timeout(Math.max(1, timeoutMs))
  const seconds = `${Math.round(timeoutMs / 100) / 10} s`
  const failed = (why: string) => refuse(`${field} could not be fetched (${why}): give a public URL to a JPEG or PNG, or send the image as base64`)
  let response: Response
  try {
    response = await fetch(url, { signal: timeout, redirect: 'follow', headers: { accept: 'image/png, image/jpeg;q=0.9, */*;q=0.1' } })
  } catch (err) {
    if (timeout.aborted) throw failed(`no answer within ${seconds}`)
    const cause = (err as { cause?: { code?: string; message?: string } }).cause
    throw failed(cause?.code ?? cause?.message ?? (err as Error).message)
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {})
    throw failed(`the server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`)
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
        throw refuse(`${field} is over the ${LIMIT_TEXT} limit (stopped reading at ${(total / MB).toFixed(1)} MB): use a smaller JPEG or PNG`)
      }
      chunks.push(Buffer.from(value))
    }
  } catch (err) {
    if (err instanceof ContractError) throw err
    throw failed(timeout.aborted ? `the download took longer than ${seconds}` : (err as Error).message)
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
    refuse(`${field} is a ${kind === 'png' ? 'PNG' : 'JPEG'} that cannot be decoded (${detail}): the file looks truncated or corrupt; export it again as JPEG or PNG`)
  let width = 0
  let height = 0
  try {
    const { stdout } = await run(ffprobe, ['-v', 'error', '-f', format, '-show_entries', 'stream=width,height', '-of', 'json', file], { timeout: 20_000 })
    const stream = (JSON.parse(stdout) as { streams?: { width?: number; height?: number }[] }).streams?.[0]
    width = stream?.width ?? 0
    height = stream?.height ?? 0
  } catch (err) {
    throw unreadable(firstLine(err))
  }
  if (!(width > 0 && height > 0)) throw unreadable('no picture size in its header')
  if (width > 16384 || height > 16384) throw refuse(`${field} is ${width}×${height} pixels, larger than 16384 on a side: scale it down`)
  try {
    const args = ['-v', 'error', '-nostdin', '-xerror', '-err_detect', 'explode', '-f', format, '-i', file, '-frames:v', '1', '-f', 'null', '-']
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
  if (typeof kind !== 'string') throw refuse(`${field} is ${kind.other}: use a JPEG or PNG`)
  const file = `${fileBase}.${kind === 'png' ? 'png' : 'jpg'}`
  await writeFile(file, bytes)
  const { width, height } = await decodeCheck(field, file, kind)
  return { field, kind, bytes, width, height, file }
}

export const isHttpUrl = (v: string) => /^https?:\/\/\S+$/i.test(v)

import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { sniffImageType } from '../../src/lib/image-type.ts'
import { ContractError } from '../errors.ts'
import { megabytes, sizeOverLimit } from '../format.ts'
import { guardedFetch, GuardedFetchError, type GuardedFetchFailure, type GuardedFetchOptions } from '../guarded-fetch.ts'
import { MAX_IMAGE_BYTES } from '../limits.ts'
import { findTools } from './ffmpeg.ts'

/*
 * Frames at submit time: a field's value (base64, with or without a data: prefix, or an http(s) URL) becomes
 * checked image bytes, or a 400 that names the field, the problem and the fix. The type is judged by the bytes,
 * never by a data: prefix or a file extension, and the image is actually decoded before a task id is given.
 * A URL is fetched by the guarded fetch (../guarded-fetch.ts), only from a public address unless the gateway opts
 * out with LOCAL_ENGINE_ALLOW_PRIVATE_URLS=1: the engine must not become a way into the local network.
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

/**
 * A frame refused at submit. `message` is the technical form that names the body field ("last_image is a GIF: use a
 * JPEG or PNG"), which the engine files under metadata.detail; `plain` is the sentence a designer reads after the
 * frame's label from the catalogue ("Last frame" + " is a GIF. Use a JPEG or PNG."), which validate.ts puts first.
 */
export class FrameRefusal extends ContractError {
  constructor(
    readonly field: string,
    readonly plain: string,
    technical: string,
  ) {
    super(400, 'INVALID_REQUEST_BODY', technical, { detail: technical })
  }
}

/** What a person can do instead, per way a frame URL fails: for the field-level message, and in plain words. */
const ADVICE: Record<GuardedFetchFailure, string> = {
  'invalid-url': 'give a public http(s) URL to a JPEG or PNG, or send the image as base64',
  scheme: 'only http(s) is fetched; send the image as base64 instead',
  'private-address': 'use a public URL or send the image as base64',
  unreachable: 'give a public URL to a JPEG or PNG, or send the image as base64',
  'too-big': 'use a smaller JPEG or PNG',
}
const PLAIN: Record<GuardedFetchFailure, string> = {
  'invalid-url': 'has a link that is not a web address. Use a public https:// link, or drop the file instead.',
  scheme: 'has a link that is not http or https. Use a web link, or drop the file instead.',
  'private-address': 'points inside a private network, which the engine does not fetch from. Use a public link, or drop the file instead.',
  unreachable: "can't be reached at its link. Check the link, or drop the file instead.",
  'too-big': `is over ${megabytes(MAX_IMAGE_BYTES)}. Use a smaller JPEG or PNG.`,
}

const tooBig = (field: string, bytes: number) =>
  new FrameRefusal(field, PLAIN['too-big'], `${field} is ${sizeOverLimit(bytes, MAX_IMAGE_BYTES)}: ${ADVICE['too-big']}`)
const notAnImage = (field: string, technical: string) =>
  new FrameRefusal(field, 'is neither a link nor a picture file. Use a JPEG or PNG.', technical)

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
    if (!/;base64$/i.test(prefix[1] ?? '')) throw notAnImage(field, `${field} is a data: URL without ";base64": send the image as base64`)
    body = value.slice(prefix[0].length)
  }
  body = body.replace(/\s+/g, '')
  // 4 base64 characters carry 3 bytes: refuse what is certainly too big without allocating it.
  const approx = Math.floor((body.length * 3) / 4) - (body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0)
  if (approx > MAX_IMAGE_BYTES) throw tooBig(field, approx)
  if (body.length === 0)
    throw new FrameRefusal(field, 'is empty. Add a JPEG or PNG.', `${field} is empty: give a JPEG or PNG as base64 or an http(s) URL`)
  if (!BASE64.test(body) || body.length % 4 === 1)
    throw notAnImage(field, `${field} is neither an http(s) URL nor valid base64: give a JPEG or PNG as base64 or a public URL`)
  return Buffer.from(body, body.includes('-') || body.includes('_') ? 'base64url' : 'base64')
}

/** How the engine fetches frame URLs (the gateway's settings; tests also replace the address check). */
export type FrameFetchOptions = Pick<GuardedFetchOptions, 'timeoutMs' | 'allowPrivateUrls' | 'isBlocked'>

/** Fetches a frame by URL from a public address only, with a timeout, refusing anything past the size cap unread. */
export async function fetchImage(field: string, url: string, options: FrameFetchOptions): Promise<Buffer> {
  try {
    return await guardedFetch(url, { ...options, name: field, maxBytes: MAX_IMAGE_BYTES, accept: 'image/png, image/jpeg;q=0.9, */*;q=0.1' })
  } catch (err) {
    if (err instanceof GuardedFetchError) throw new FrameRefusal(field, PLAIN[err.kind], `${err.message}: ${ADVICE[err.kind]}`)
    throw err
  }
}

/**
 * Decodes the image with ffmpeg, as strictly as it allows, so a truncated or corrupt file is refused now
 * rather than failing a render later. Resolves to its size.
 */
export async function decodeCheck(field: string, file: string, kind: ImageKind): Promise<{ width: number; height: number }> {
  const { ffmpeg, ffprobe } = await findTools()
  const format = kind === 'png' ? 'png_pipe' : 'jpeg_pipe'
  const unreadable = (detail: string) =>
    new FrameRefusal(
      field,
      'looks truncated or damaged. Export it again as JPEG or PNG.',
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
    throw new FrameRefusal(
      field,
      `is ${width}×${height} pixels, over 16384 on a side. Scale it down.`,
      `${field} is ${width}×${height} pixels, larger than 16384 on a side: scale it down`,
    )
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
  if (typeof kind !== 'string')
    throw new FrameRefusal(field, `is ${kind.other}. Use a JPEG or PNG.`, `${field} is ${kind.other}: use a JPEG or PNG`)
  const file = `${fileBase}.${kind === 'png' ? 'png' : 'jpg'}`
  await writeFile(file, bytes)
  const { width, height } = await decodeCheck(field, file, kind)
  return { field, kind, bytes, width, height, file }
}

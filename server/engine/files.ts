import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import type { Context } from 'hono'
import { contractErrorResponse } from '../errors.ts'

/*
 * Serving a rendered MP4 with HTTP Range support, so a <video> element can seek: 200 for the whole file,
 * 206 + Content-Range for one satisfiable range, 416 + Content-Range: bytes *\/size for one that is not.
 * Several ranges in one header are answered with the whole file (allowed by RFC 9110).
 */

export const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Accept-Ranges, Content-Length, Content-Range',
} as const

export type RangeResult = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' }

/** Parses a Range header against a file of `size` bytes. Units other than bytes are ignored (whole file). */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (!header) return { kind: 'full' }
  const m = /^\s*bytes\s*=\s*(.*)$/i.exec(header)
  if (!m) return { kind: 'full' }
  const specs = (m[1] ?? '').split(',').map((s) => s.trim())
  if (specs.length > 1) return specs.every((s) => /^(\d+-\d*|-\d+)$/.test(s)) ? { kind: 'full' } : { kind: 'unsatisfiable' }
  const spec = specs[0] ?? ''
  const r = /^(\d*)-(\d*)$/.exec(spec)
  if (!r || (r[1] === '' && r[2] === '')) return { kind: 'unsatisfiable' }
  if (r[1] === '') {
    // bytes=-N: the last N bytes.
    const n = Number(r[2])
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' }
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 }
  }
  const start = Number(r[1])
  const end = r[2] === '' ? size - 1 : Math.min(Number(r[2]), size - 1)
  if (start >= size || end < start) return { kind: 'unsatisfiable' }
  return { kind: 'partial', start, end }
}

/** Answers a GET (or HEAD) for `file` as video/mp4, honouring Range. */
export async function sendVideo(c: Context, file: string, maxAgeSeconds: number): Promise<Response> {
  let size: number
  try {
    size = (await stat(file)).size
  } catch {
    return contractErrorResponse(c, 404, 'NOT_FOUND', 'This video file is no longer on the gateway; render the task again.', {})
  }
  const base: Record<string, string> = {
    ...CORS_HEADERS,
    'Content-Type': 'video/mp4',
    'Accept-Ranges': 'bytes',
    'Cache-Control': `private, max-age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
  }
  const range = parseRange(c.req.header('range'), size)
  if (range.kind === 'unsatisfiable') {
    for (const [k, v] of Object.entries(base)) if (k !== 'Content-Type') c.header(k, v)
    c.header('Content-Range', `bytes */${size}`)
    return contractErrorResponse(
      c,
      416,
      'INVALID_REQUEST_BODY',
      `The Range "${c.req.header('range') ?? ''}" is outside this video (${size} bytes).`,
      { size },
    )
  }
  const [start, end, status] = range.kind === 'partial' ? [range.start, range.end, 206] : [0, size - 1, 200]
  const headers = new Headers(base)
  headers.set('Content-Length', String(size === 0 ? 0 : end - start + 1))
  if (status === 206) headers.set('Content-Range', `bytes ${start}-${end}/${size}`)
  if (c.req.method === 'HEAD' || size === 0) return new Response(null, { status, headers })
  const stream = createReadStream(file, { start, end })
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, headers })
}

import { Hono } from 'hono'
import { Readable } from 'node:stream'
import { ContractError, contractErrorResponse } from '../../errors.ts'
import { parseRange } from '../../engine/files.ts'
import type { Library } from '../library.ts'
import { BlobNotFound, SHA256_HEX } from '../blobs/blob-store.ts'
import { servableBlob } from '../db/queries/files.ts'
import { notFound, type LibraryEnv } from './http.ts'

/*
 * Stored files (videos, posters, frames) by SHA-256, with Range support so a <video> can seek: 200 for the whole
 * file, 206 + Content-Range for one range, 416 for a range outside it. A file's bytes never change under its name,
 * so a browser may keep it for a year without asking again. Only files the workspace's samples and frames refer to
 * are served; the blob store is never asked for a name that is not a SHA-256.
 */

const IMMUTABLE = 'private, max-age=31536000, immutable'

export function fileRoutes(library: Library): Hono<LibraryEnv> {
  const app = new Hono<LibraryEnv>()

  app.get('/:sha256', async (c) => {
    const sha = c.req.param('sha256')
    if (!SHA256_HEX.test(sha))
      throw new ContractError(
        400,
        'INVALID_REQUEST_BODY',
        "The file's id is not a SHA-256: use the 64 lower-case hexadecimal characters the library gave (videoSha256, posterSha256 or a frame's hash).",
        { detail: `got ${JSON.stringify(sha.slice(0, 80))}` },
      )
    const blob = await servableBlob(library.store.db, c.get('workspace'), sha)
    if (!blob) throw notFound('stored file', sha, 'the library holds no video, poster or frame with this SHA-256.')
    const etag = `"${sha}"`
    const base = { 'Accept-Ranges': 'bytes', 'Cache-Control': IMMUTABLE, ETag: etag }
    if (
      c.req
        .header('if-none-match')
        ?.split(/\s*,\s*/)
        .some((t) => t === etag || t === `W/${etag}` || t === '*')
    )
      return new Response(null, { status: 304, headers: base })

    const { size } = blob
    const ifRange = c.req.header('if-range')
    const range = ifRange !== undefined && ifRange !== etag ? { kind: 'full' as const } : parseRange(c.req.header('range'), size)
    if (range.kind === 'unsatisfiable') {
      for (const [k, v] of Object.entries(base)) c.header(k, v)
      c.header('Content-Range', `bytes */${size}`)
      return contractErrorResponse(
        c,
        416,
        'INVALID_REQUEST_BODY',
        `The Range "${(c.req.header('range') ?? '').slice(0, 60)}" is outside this file (${size} bytes): ask for bytes from 0 to ${Math.max(0, size - 1)}.`,
        { size },
      )
    }
    const [start, end, status] = range.kind === 'partial' ? [range.start, range.end, 206] : [0, size - 1, 200]
    const headers = new Headers({ ...base, 'Content-Type': blob.mime, 'Content-Length': String(size === 0 ? 0 : end - start + 1) })
    if (status === 206) headers.set('Content-Range', `bytes ${start}-${end}/${size}`)
    if (c.req.method === 'HEAD' || size === 0) return new Response(null, { status, headers })
    let stream: Readable
    try {
      stream = await library.blobs.read(sha, { start, end })
    } catch (err) {
      if (err instanceof BlobNotFound)
        throw notFound('stored file', sha, 'the library lists it, but its bytes are missing from the data folder.')
      throw err
    }
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, headers })
  })

  return app
}

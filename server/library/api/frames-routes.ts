import { Hono } from 'hono'
import * as z from 'zod'
import { MAX_FRAME_BYTES, sniffImageType } from '../../../src/lib/image-type.ts'
import { ContractError } from '../../errors.ts'
import type { Library } from '../library.ts'
import { putChecked, sha256Param, sniffedBody } from './blob-upload.ts'
import { findFrame, saveFrame } from '../db/queries/frames.ts'
import { notFound, parseQuery, queryObject, textField, tooLarge, type LibraryEnv } from './http.ts'
import { frameJson } from './records.ts'

/*
 * Frames by SHA-256: PUT streams the bytes into the blob store, hashing as they come, and keeps them only when they
 * match the hash in the path, are at most 20 MB, and are a JPEG or PNG by their own first bytes. The same frame put
 * again is answered with its record (200; 201 the first time).
 */

const pixels = (field: string) => {
  const words = `"${field}" must be the frame's ${field} in whole pixels, from 1 to 100000 (as in ?${field}=1280).`
  return z
    .string({ error: words })
    .regex(/^[1-9]\d{0,5}$/, { error: words })
    .transform(Number)
    .pipe(z.number().max(100_000, { error: words }))
}
const putQuery = queryObject({ name: textField('"name"', 255).optional(), width: pixels('width'), height: pixels('height') })
const MB = MAX_FRAME_BYTES / (1024 * 1024)

const ACCEPTED_TYPES = /^(image\/(jpeg|png)|application\/octet-stream)(\s*;.*)?$/i

export function frameRoutes(library: Library): Hono<LibraryEnv> {
  const { db } = library.store
  const app = new Hono<LibraryEnv>()

  app.put('/:sha256', async (c) => {
    const sha = sha256Param(c, 'frame')
    const q = parseQuery(c, putQuery)
    const declaredType = c.req.header('content-type')
    if (declaredType !== undefined && !ACCEPTED_TYPES.test(declaredType))
      throw new ContractError(
        400,
        'INVALID_REQUEST_BODY',
        `The frame was sent as ${declaredType.slice(0, 60)}: send its bytes as they are, with Content-Type image/jpeg or image/png.`,
      )
    const fix = `use a JPEG or PNG of at most ${MB} MB (a smaller size, or JPEG instead of PNG).`
    if (Number(c.req.header('content-length')) > MAX_FRAME_BYTES) throw tooLarge(MAX_FRAME_BYTES, 'a frame', fix)
    if (!c.req.raw.body) throw new ContractError(400, 'INVALID_REQUEST_BODY', "The request has no body: send the frame's bytes.")
    const body = await sniffedBody(c.req.raw.body)
    const type = sniffImageType(body.head)
    if (type.mime === undefined) {
      body.cancel()
      throw new ContractError(
        400,
        'INVALID_REQUEST_BODY',
        `The frame is ${type.kind === 'empty' ? 'empty' : type.kind}: the studio keeps JPEG and PNG frames only. Save it as one and upload it again.`,
      )
    }
    const mime = type.mime
    const size = await putChecked(library, body, sha, MAX_FRAME_BYTES, { noun: 'frame', purpose: 'a frame', fix })
    const ws = c.get('workspace')
    const saved = await db.transaction().execute(async (trx) => {
      const frame = { hash: sha, mime, width: q.width, height: q.height, bytes: size, name: q.name ?? 'frame' }
      const { row, created } = await saveFrame(trx, ws, frame, new Date())
      return { row, created, event: created ? await library.feed.record(trx, ws, 'frames', [sha]) : undefined }
    })
    if (saved.event) library.feed.announce(saved.event)
    return c.json(frameJson(saved.row), saved.created ? 201 : 200)
  })

  app.get('/:sha256', async (c) => {
    const sha = sha256Param(c, 'frame')
    const row = await findFrame(db, c.get('workspace'), sha)
    if (!row) throw notFound('frame', sha, 'it was never uploaded here, or was removed. Upload it again.')
    return c.json(frameJson(row))
  })

  return app
}

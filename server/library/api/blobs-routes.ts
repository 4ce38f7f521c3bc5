import { Hono } from 'hono'
import * as z from 'zod'
import { sniffImageType } from '../../../src/lib/image-type.ts'
import { ContractError } from '../../errors.ts'
import { SHA256_HEX } from '../blobs/blob-store.ts'
import { heldBlobs, recordBlob } from '../db/queries/blobs.ts'
import type { Library } from '../library.ts'
import { putChecked, sha256Param, sniffedBody } from './blob-upload.ts'
import { bodyObject, readJson, tooLarge, type LibraryEnv } from './http.ts'

/*
 * Files by SHA-256, for the move from the browser: a video, a poster, a frame or its thumbnail is put here first, then
 * the records that name it are imported (POST /import). PUT streams the bytes into the blob store, hashing as they
 * come, and keeps them only when they match the hash in the path, fit the limit of their type, and are what their
 * Content-Type says by their own first bytes. POST /blobs/held says which of a list the gateway holds already, so an
 * upload can skip them. A file is read back only through a record that names it (GET /files/<sha256>).
 */

const MB = 1024 * 1024
export const MAX_VIDEO_BYTES = 1024 * MB
export const MAX_IMAGE_FILE_BYTES = 25 * MB

/** The PUT's path, which the gateway's body limit (sized for a submit) lets through: this route sets its own. */
export const BLOB_UPLOAD_PATH = /^\/api\/library\/blobs\/[^/]*$/

const ascii = (b: Buffer, from: number, to: number) => b.subarray(from, to).toString('latin1')

interface Kind {
  maxBytes: number
  purpose: string
  fix: string
  /** Whether the first bytes are this type. */
  is: (head: Buffer) => boolean
}

const image = (is: (head: Buffer) => boolean): Kind => ({
  maxBytes: MAX_IMAGE_FILE_BYTES,
  purpose: 'a poster, frame or thumbnail',
  fix: 'a still of the studio is far smaller; check that this is the right file.',
  is,
})

const KINDS: Record<string, Kind> = {
  'video/mp4': {
    maxBytes: MAX_VIDEO_BYTES,
    purpose: 'a video of the studio',
    fix: 'check that this is the right file.',
    is: (head) => ascii(head, 4, 8) === 'ftyp',
  },
  'image/jpeg': image((head) => sniffImageType(head).mime === 'image/jpeg'),
  'image/png': image((head) => sniffImageType(head).mime === 'image/png'),
  'image/webp': image((head) => ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP'),
}
const TYPES = Object.keys(KINDS).join(', ')

const MAX_HELD = 1000
const HELD_EXAMPLE = '{"sha256": ["<64 hex characters>"]}'
const heldBody = bodyObject(
  {
    sha256: z
      .array(
        z.string().regex(SHA256_HEX, { error: `"sha256" holds an entry that is not a SHA-256: use 64 lower-case hexadecimal characters.` }),
        {
          error: `"sha256" must be a list of SHA-256s, such as ${HELD_EXAMPLE}.`,
        },
      )
      .min(1, { error: '"sha256" is empty: name at least one file.' })
      .max(MAX_HELD, {
        error: `"sha256" names more than ${MAX_HELD.toLocaleString('en')} files: ask in parts of at most ${MAX_HELD.toLocaleString('en')}.`,
      }),
  },
  HELD_EXAMPLE,
)

export function blobRoutes(library: Library): Hono<LibraryEnv> {
  const { db } = library.store
  const app = new Hono<LibraryEnv>()

  app.put('/:sha256', async (c) => {
    const sha = sha256Param(c, 'file')
    const declared = c.req.header('content-type') ?? ''
    const mime = declared.split(';')[0]!.trim().toLowerCase()
    const kind = KINDS[mime]
    if (!kind)
      throw new ContractError(
        400,
        'INVALID_REQUEST_BODY',
        declared === ''
          ? `The file was sent without a Content-Type: send it with its type, one of ${TYPES}.`
          : `The file was sent as ${declared.slice(0, 60)}, which the studio does not keep: send a video or still with its type, one of ${TYPES}.`,
      )
    if (Number(c.req.header('content-length')) > kind.maxBytes) throw tooLarge(kind.maxBytes, kind.purpose, kind.fix)
    if (!c.req.raw.body) throw new ContractError(400, 'INVALID_REQUEST_BODY', "The request has no body: send the file's bytes.")
    const body = await sniffedBody(c.req.raw.body)
    if (!kind.is(body.head)) {
      body.cancel()
      throw new ContractError(
        400,
        'INVALID_REQUEST_BODY',
        body.head.length === 0
          ? 'The file is empty: send its bytes.'
          : `The file's bytes are not ${mime} (judged by its first bytes): send it with the type it has, one of ${TYPES}.`,
      )
    }
    const size = await putChecked(library, body, sha, kind.maxBytes, { noun: 'file', purpose: kind.purpose, fix: kind.fix })
    const ws = c.get('workspace')
    const saved = await db.transaction().execute(async (trx) => {
      const { created } = await recordBlob(trx, { sha256: sha, size, mime })
      // A new file takes disk space: Settings › Storage reads again.
      return { created, event: created ? await library.feed.record(trx, ws, 'storage', [sha]) : undefined }
    })
    if (saved.event) library.feed.announce(saved.event)
    return c.json({ sha256: sha, size, mime }, saved.created ? 201 : 200)
  })

  app.post('/held', async (c) => {
    const body = await readJson(c, heldBody, { maxBytes: 128 * 1024, purpose: 'a list of files', example: HELD_EXAMPLE })
    const listed = await heldBlobs(db, body.sha256)
    // Listed and on disk: only those can be named by a record.
    const held: string[] = []
    for (const sha of listed) if ((await library.blobs.size(sha)) !== undefined) held.push(sha)
    const wanted = new Set(held)
    return c.json({ held: [...new Set(body.sha256)].filter((s) => wanted.has(s)) })
  })

  return app
}

import type { Context } from 'hono'
import { SNIFF_BYTES } from '../../../src/lib/image-type.ts'
import { ContractError } from '../../errors.ts'
import { BlobHashMismatch, BlobStoreFull, BlobTooLarge, SHA256_HEX } from '../blobs/blob-store.ts'
import type { Library } from '../library.ts'
import { tooLarge } from './http.ts'

/*
 * What the uploads by SHA-256 share (PUT /frames/<sha256>, PUT /blobs/<sha256>): the id read as a hash or refused
 * before anything on disk is looked at, the first bytes held back to judge the type before storing, and the bytes
 * streamed into the blob store, hashed as they come, with every way that can fail in words.
 */

/** The id is a SHA-256, or nothing on disk is ever looked at under it (a path, `..`, a slash). */
export function sha256Param(c: Context, noun: string): string {
  const sha = c.req.param('sha256') ?? ''
  if (SHA256_HEX.test(sha)) return sha
  throw new ContractError(
    400,
    'INVALID_REQUEST_BODY',
    `The ${noun}'s id is not a SHA-256: use the 64 lower-case hexadecimal characters of the SHA-256 of the ${noun}'s bytes.`,
    { detail: `got ${JSON.stringify(sha.slice(0, 80))}` },
  )
}

export interface SniffedBody {
  /** The first bytes (at least SNIFF_BYTES, unless the body is shorter). */
  head: Buffer
  chunks: AsyncIterable<Uint8Array>
  /** Stops reading (a refusal): the gateway's drain reads and drops the rest. */
  cancel(): void
}

/** The body in chunks, the first ones held back until `SNIFF_BYTES` arrived, so the type is known before storing. */
export async function sniffedBody(body: ReadableStream<Uint8Array>): Promise<SniffedBody> {
  const reader = body.getReader()
  const head: Uint8Array[] = []
  let headBytes = 0
  let done = false
  while (headBytes < SNIFF_BYTES && !done) {
    const read = await reader.read()
    if (read.done) done = true
    else {
      head.push(read.value)
      headBytes += read.value.byteLength
    }
  }
  async function* chunks() {
    yield* head
    for (let read = done ? undefined : await reader.read(); read && !read.done; read = await reader.read()) yield read.value
  }
  return { head: Buffer.concat(head), chunks: chunks(), cancel: () => void reader.cancel().catch(() => undefined) }
}

export interface UploadWords {
  /** What the bytes are, in words: "frame", "file". */
  noun: string
  /** What it is, for the 413: "a frame". */
  purpose: string
  /** The way out of a 413. */
  fix: string
}

/** Streams `body` into the blob store under `sha`, at most `maxBytes`; every failure a ContractError in words. */
export async function putChecked(library: Library, body: SniffedBody, sha: string, maxBytes: number, words: UploadWords): Promise<number> {
  try {
    return (await library.blobs.put(body.chunks, { expectedSha256: sha, maxBytes })).size
  } catch (err) {
    body.cancel()
    if (err instanceof BlobTooLarge) throw tooLarge(maxBytes, words.purpose, words.fix)
    if (err instanceof BlobHashMismatch)
      throw new ContractError(
        400,
        'INVALID_REQUEST_BODY',
        `The ${words.noun}'s bytes do not match its SHA-256 (the id in the address): it was changed or cut short on the way; upload it again.`,
        { detail: err.message },
      )
    if (err instanceof BlobStoreFull)
      throw new ContractError(
        507,
        'SERVICE_NOT_AVAILABLE',
        `The gateway's disk is full, so the ${words.noun} was not kept: free some space (Settings › Storage), then upload it again.`,
      )
    throw err
  }
}

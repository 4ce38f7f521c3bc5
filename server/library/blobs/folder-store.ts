import { createHash, randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import {
  assertSha256,
  BlobHashMismatch,
  BlobNotFound,
  BlobStoreFull,
  BlobTooLarge,
  type BlobStore,
  type ByteRange,
  type PutOptions,
  type PutResult,
} from './blob-store.ts'

/*
 * A content-addressed folder: blobs/ab/abcdef… (two levels keep any one folder small). A put writes to blobs/tmp/
 * while hashing, then renames into place, so a file under its name is always whole: a kill -9 or a full disk in the
 * middle leaves only a temporary file, which the next start removes.
 */
export class FolderBlobStore implements BlobStore {
  readonly #tmp: string

  private constructor(private readonly root: string) {
    this.#tmp = join(root, 'tmp')
  }

  /** Opens (or makes) the folder, and removes what an interrupted put left. */
  static async open(root: string): Promise<FolderBlobStore> {
    const store = new FolderBlobStore(root)
    await rm(store.#tmp, { recursive: true, force: true })
    await mkdir(store.#tmp, { recursive: true, mode: 0o700 })
    return store
  }

  #path(sha256: string): string {
    assertSha256(sha256)
    return join(this.root, sha256.slice(0, 2), sha256)
  }

  async put(source: AsyncIterable<Uint8Array> | Uint8Array, options: PutOptions = {}): Promise<PutResult> {
    if (options.expectedSha256 !== undefined) assertSha256(options.expectedSha256)
    const tmp = join(this.#tmp, randomUUID())
    const hash = createHash('sha256')
    let size = 0
    const out = createWriteStream(tmp, { mode: 0o600 })
    try {
      const chunks = source instanceof Uint8Array ? [source] : source
      for await (const chunk of chunks) {
        size += chunk.byteLength
        if (options.maxBytes !== undefined && size > options.maxBytes) throw new BlobTooLarge(options.maxBytes)
        hash.update(chunk)
        // events.once removes its error listener when the drain comes (a listener per wait piled up over a large file).
        if (!out.write(chunk)) await once(out, 'drain')
      }
      out.end()
      await finished(out)
      const sha256 = hash.digest('hex')
      if (options.expectedSha256 !== undefined && options.expectedSha256 !== sha256)
        throw new BlobHashMismatch(options.expectedSha256, sha256)
      const target = this.#path(sha256)
      const held = await this.size(sha256)
      if (held === size) {
        await rm(tmp, { force: true })
        return { sha256, size, created: false }
      }
      await mkdir(join(this.root, sha256.slice(0, 2)), { recursive: true, mode: 0o700 })
      await rename(tmp, target)
      return { sha256, size, created: true }
    } catch (err) {
      // The file is opened asynchronously: wait for the stream to close, or a late open would recreate it after the rm.
      out.destroy()
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()))
      await rm(tmp, { force: true })
      if ((err as NodeJS.ErrnoException).code === 'ENOSPC') throw new BlobStoreFull('The disk is full.', { cause: err })
      throw err
    }
  }

  async size(sha256: string): Promise<number | undefined> {
    try {
      return (await stat(this.#path(sha256))).size
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw err
    }
  }

  async read(sha256: string, range?: ByteRange): Promise<Readable> {
    const path = this.#path(sha256)
    if ((await this.size(sha256)) === undefined) throw new BlobNotFound(sha256)
    return createReadStream(path, range ? { start: range.start, end: range.end } : {})
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.#path(sha256), { force: true })
  }

  async usage(): Promise<{ files: number; bytes: number }> {
    let files = 0
    let bytes = 0
    for (const dir of await readdir(this.root, { withFileTypes: true })) {
      if (!dir.isDirectory() || dir.name === 'tmp') continue
      for (const file of await readdir(join(this.root, dir.name), { withFileTypes: true })) {
        if (!file.isFile()) continue
        files++
        bytes += (await stat(join(this.root, dir.name, file.name))).size
      }
    }
    return { files, bytes }
  }
}

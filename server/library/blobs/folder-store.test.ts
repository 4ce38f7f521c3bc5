import { afterEach, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { text } from 'node:stream/consumers'
import { FolderBlobStore } from './folder-store.ts'
import { BlobHashMismatch, BlobNotFound, BlobTooLarge } from './blob-store.ts'

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})
const openStore = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'veo-blobs-test-'))
  dirs.push(dir)
  return { dir, store: await FolderBlobStore.open(dir) }
}
const sha = (s: string) => createHash('sha256').update(s).digest('hex')
async function* chunks(...parts: string[]) {
  for (const p of parts) yield new TextEncoder().encode(p)
}

describe('the folder blob store', () => {
  it('keeps bytes once by their SHA-256, streamed in, and reads them whole or by range', async () => {
    const { store } = await openStore()
    const put = await store.put(chunks('hello ', 'world'))
    expect(put).toEqual({ sha256: sha('hello world'), size: 11, created: true })
    expect(await store.put(new TextEncoder().encode('hello world'))).toEqual({ ...put, created: false })
    expect(await text(await store.read(put.sha256))).toBe('hello world')
    expect(await text(await store.read(put.sha256, { start: 6, end: 10 }))).toBe('world')
    expect(await store.size(put.sha256)).toBe(11)
    expect(await store.usage()).toEqual({ files: 1, bytes: 11 })
    await store.delete(put.sha256)
    expect(await store.size(put.sha256)).toBeUndefined()
    await expect(store.read(put.sha256)).rejects.toBeInstanceOf(BlobNotFound)
  })

  it('stores nothing when the bytes do not match the hash they were sent with', async () => {
    const { store } = await openStore()
    const err = await store.put(chunks('not the bytes'), { expectedSha256: sha('the bytes') }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BlobHashMismatch)
    expect(await store.usage()).toEqual({ files: 0, bytes: 0 })
  })

  it('stops reading past its limit and stores nothing', async () => {
    const { dir, store } = await openStore()
    await expect(store.put(chunks('12345', '67890'), { maxBytes: 8 })).rejects.toBeInstanceOf(BlobTooLarge)
    expect(await store.usage()).toEqual({ files: 0, bytes: 0 })
    expect(await readdir(join(dir, 'tmp'))).toEqual([])
  })

  it('names nothing outside itself: only a lower-case hex SHA-256 is a name', async () => {
    const { store } = await openStore()
    for (const name of ['../../etc/passwd', 'A'.repeat(64), 'a'.repeat(63), `${'a'.repeat(62)}/x`, ''])
      await expect(store.size(name)).rejects.toThrow(/not a SHA-256/)
    await expect(store.put(chunks('x'), { expectedSha256: '../x' })).rejects.toThrow(/not a SHA-256/)
  })

  it('removes what an interrupted put left behind when it opens again', async () => {
    const { dir } = await openStore()
    await mkdir(join(dir, 'tmp'), { recursive: true })
    await writeFile(join(dir, 'tmp', 'half-a-video'), 'partial')
    await FolderBlobStore.open(dir)
    expect(await readdir(join(dir, 'tmp'))).toEqual([])
  })
})

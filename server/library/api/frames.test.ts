import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MAX_FRAME_BYTES } from '../../../src/lib/image-type.ts'
import { dataPaths } from '../data-dir.ts'
import { ENGINES } from '../../testing/library-harness.ts'
import { closeLibraryApis, startLibraryApi, type LibraryApi } from '../../testing/library-fixtures.ts'
import { makeImage } from '../../testing/media.ts'

/* Frames put by SHA-256 over real HTTP, on both engines: kept only when whole, small enough and a JPEG or PNG. */

afterEach(closeLibraryApis)

let dir: string
let png: Buffer
let jpeg: Buffer
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'veo-frames-test-'))
  png = await readFile(await makeImage(join(dir, 'f.png'), { width: 64, height: 48, kind: 'png', pattern: 'boxes' }))
  jpeg = await readFile(await makeImage(join(dir, 'f.jpg'), { width: 40, height: 30, kind: 'jpeg', pattern: 'bars' }))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const put = (api: LibraryApi, id: string, body: Uint8Array, query = 'name=door.png&width=64&height=48', type = 'image/png') =>
  api.call('PUT', `/frames/${id}?${query}`, { body, headers: { 'Content-Type': type } })

/** What the data folder holds: blobs kept, and anything left in its temporary folder. */
async function stored(api: LibraryApi) {
  const blobs = await api.library.blobs.usage()
  const tmp = await readdir(join(dataPaths(api.library.config.dataDir).blobs, 'tmp'))
  const frames = await api.db.selectFrom('frames').select('hash').execute()
  return { files: blobs.files, tmp: tmp.length, frames: frames.length }
}

describe.each(ENGINES)('frames on %s', (engine) => {
  it('keeps a PNG under its SHA-256, answers its record, and a second put of it is the same record', async () => {
    const api = await startLibraryApi(engine)
    const hash = sha(png)
    const first = await put(api, hash, png)
    expect(first.status).toBe(201)
    expect(first.body).toEqual({
      hash,
      mime: 'image/png',
      width: 64,
      height: 48,
      bytes: png.length,
      name: 'door.png',
      addedAt: expect.any(Number),
    })
    expect(await api.db.selectFrom('blobs').selectAll().where('sha256', '=', hash).executeTakeFirst()).toMatchObject({
      size: png.length,
      mime: 'image/png',
    })

    const again = await put(api, hash, png, 'name=other.png&width=64&height=48')
    expect(again.status).toBe(200)
    expect(again.body).toEqual(first.body)
    expect((await api.call('GET', `/frames/${hash}`)).body).toEqual(first.body)
    expect(await stored(api)).toEqual({ files: 1, tmp: 0, frames: 1 })
    const events = (await api.library.feed.since(api.db, 'local', 0)).filter((e) => e.topic === 'frames')
    expect(events.map((e) => e.ids)).toEqual([[hash]])

    const file = await api.call('GET', `/files/${hash}`)
    expect(file.status).toBe(200)
    expect(file.headers.get('content-type')).toBe('image/png')
    expect(file.bytes.equals(png)).toBe(true)

    // The type is the bytes' own, whatever the request said.
    const jpegAsPng = await put(api, sha(jpeg), jpeg, 'width=40&height=30', 'image/png')
    expect(jpegAsPng.status).toBe(201)
    expect(jpegAsPng.body).toMatchObject({ mime: 'image/jpeg', name: 'frame', width: 40, height: 30 })
  })

  it('refuses bytes that do not match the hash, keeping nothing', async () => {
    const api = await startLibraryApi(engine)
    const res = await put(api, sha(jpeg), png)
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ code: 400, reason: 'INVALID_REQUEST_BODY' })
    expect(res.body.message).toBe(
      "The frame's bytes do not match its SHA-256 (the id in the address): it was changed or cut short on the way; upload it again.",
    )
    expect(res.body.metadata.detail).toContain(sha(png))
    expect(await stored(api)).toEqual({ files: 0, tmp: 0, frames: 0 })
    expect((await api.call('GET', `/frames/${sha(jpeg)}`)).status).toBe(404)
  })

  it('refuses a frame over 20 MB, by its length or while it streams in, keeping nothing', async () => {
    const api = await startLibraryApi(engine)
    const big = Buffer.alloc(MAX_FRAME_BYTES + 1)
    png.copy(big)
    const words = /^The request body is larger than 20 MB, more than a frame can need: use a JPEG or PNG of at most 20 MB/
    const declared = await put(api, sha(big), big)
    expect(declared.status).toBe(413)
    expect(declared.body).toMatchObject({ reason: 'PAYLOAD_TOO_LARGE', metadata: { maxBytes: MAX_FRAME_BYTES } })
    expect(declared.body.message).toMatch(words)

    // Sent in chunks, with no Content-Length to refuse it by: counted as it arrives.
    const chunked = await fetch(`${api.url}/api/library/frames/${sha(big)}?width=64&height=48`, {
      method: 'PUT',
      headers: { 'Content-Type': 'image/png' },
      body: new ReadableStream({
        start(controller) {
          for (let at = 0; at < big.length; at += 1024 * 1024) controller.enqueue(big.subarray(at, at + 1024 * 1024))
          controller.close()
        },
      }),
      duplex: 'half',
    } as RequestInit)
    expect(chunked.status).toBe(413)
    expect(((await chunked.json()) as { message: string }).message).toMatch(words)
    expect(await stored(api)).toEqual({ files: 0, tmp: 0, frames: 0 })
  })

  it('refuses what is not a JPEG or PNG, by its own bytes', async () => {
    const api = await startLibraryApi(engine)
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')
    const html = Buffer.from('<!doctype html><title>Sign in</title>')
    const cases: [Buffer, string][] = [
      [gif, 'The frame is a GIF: the studio keeps JPEG and PNG frames only. Save it as one and upload it again.'],
      [
        html,
        'The frame is a web page (HTML), not an image: the studio keeps JPEG and PNG frames only. Save it as one and upload it again.',
      ],
      [Buffer.alloc(0), 'The frame is empty: the studio keeps JPEG and PNG frames only. Save it as one and upload it again.'],
    ]
    for (const [bytes, words] of cases) {
      const res = await put(api, sha(bytes), bytes)
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message: words })
    }
    const json = await put(api, sha(png), png, undefined, 'application/json')
    expect(json.status).toBe(400)
    expect(json.body.message).toBe(
      'The frame was sent as application/json: send its bytes as they are, with Content-Type image/jpeg or image/png.',
    )
    const noSize = await put(api, sha(png), png, 'name=door.png&width=64')
    expect(noSize.status).toBe(400)
    expect(noSize.body.message).toBe('"height" must be the frame\'s height in whole pixels, from 1 to 100000 (as in ?height=1280).')
    expect(await stored(api)).toEqual({ files: 0, tmp: 0, frames: 0 })
  })

  it('refuses an id that is not a SHA-256 before anything touches the disk', async () => {
    const api = await startLibraryApi(engine)
    const words = "The frame's id is not a SHA-256: use the 64 lower-case hexadecimal characters of the SHA-256 of the frame's bytes."
    for (const id of [
      '..%2F..%2Fetc%2Fpasswd',
      '..%2F..%2F..%2Fgateway.lock',
      sha(png).toUpperCase(),
      sha(png).slice(1),
      `${sha(png)}%00`,
    ]) {
      const res = await put(api, id, png)
      expect({ id, status: res.status }).toEqual({ id, status: 400 })
      expect(res.body).toMatchObject({ reason: 'INVALID_REQUEST_BODY', message: words })
      expect((await api.call('GET', `/frames/${id}`)).body.message).toBe(words)
      const file = await api.call('GET', `/files/${id}`)
      expect({ id, status: file.status }).toEqual({ id, status: 400 })
      expect(file.body.message).toMatch(/^The file's id is not a SHA-256: use the 64 lower-case hexadecimal characters/)
    }
    expect(await stored(api)).toEqual({ files: 0, tmp: 0, frames: 0 })
    const unknown = await api.call('GET', `/frames/${sha(png)}`)
    expect(unknown.status).toBe(404)
    expect(unknown.body.message).toBe(`No frame ${sha(png)}: it was never uploaded here, or was removed. Upload it again.`)
  })
})

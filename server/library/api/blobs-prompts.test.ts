import { afterEach, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { request } from 'node:http'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { BlobStoreFull } from '../blobs/blob-store.ts'
import { dataPaths } from '../data-dir.ts'
import { ENGINES } from '../../testing/library-harness.ts'
import { closeLibraryApis, seedPrompt, startLibraryApi, type LibraryApi } from '../../testing/library-fixtures.ts'

/* Files put by SHA-256 for the move from the browser, and one use of a prompt, over real HTTP on both engines. */

afterEach(closeLibraryApis)

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
/** The first bytes of an MP4 (its ftyp box), then filler: the route judges the type by these. */
const mp4 = (size: number, fill = 1) => {
  const b = Buffer.alloc(size, fill)
  Buffer.from('\u0000\u0000\u0000\u0018ftypisom\u0000\u0000\u0002\u0000isomiso2', 'latin1').copy(b)
  return b
}
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(600, 3)])
const webp = Buffer.concat([Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ', 'latin1'), Buffer.alloc(100, 4)])

const put = (api: LibraryApi, id: string, body: Uint8Array, type?: string) =>
  api.call('PUT', `/blobs/${id}`, { body, headers: type === undefined ? {} : { 'Content-Type': type } })

async function held(api: LibraryApi) {
  const listed = (await api.db.selectFrom('blobs').select(['sha256', 'mime', 'size']).orderBy('sha256').execute()).map((r) => ({ ...r }))
  const tmp = await readdir(join(dataPaths(api.library.config.dataDir).blobs, 'tmp'))
  return { listed, files: (await api.library.blobs.usage()).files, tmp: tmp.length }
}

/** A PUT that declares a length and sends only a little of it: the answer must come before the rest. */
function declaredPut(api: LibraryApi, path: string, type: string, length: number) {
  return new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
    const url = new URL(`${api.url}/api/library${path}`)
    const req = request(url, { method: 'PUT', headers: { 'Content-Type': type, 'Content-Length': String(length) } }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString('utf8')))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }))
    })
    req.on('error', reject)
    req.write(mp4(1024))
  })
}

describe.each(ENGINES)('blobs and prompts on %s', (engine) => {
  it('keeps a video, a still and a WebP under their SHA-256, says which it holds, and a second put is a 200', async () => {
    const api = await startLibraryApi(engine)
    // Larger than the gateway's submit-sized body limit (about 53 MB): this route sets its own.
    const video = mp4(60 * 1024 * 1024)
    const first = await put(api, sha(video), video, 'video/mp4')
    expect(first.status).toBe(201)
    expect(first.body).toEqual({ sha256: sha(video), size: video.length, mime: 'video/mp4' })
    const again = await put(api, sha(video), video, 'video/mp4')
    expect(again.status).toBe(200)
    expect(again.body).toEqual(first.body)
    expect((await put(api, sha(jpeg), jpeg, 'image/jpeg; charset=binary')).status).toBe(201)
    expect((await put(api, sha(webp), webp, 'image/webp')).body).toEqual({ sha256: sha(webp), size: webp.length, mime: 'image/webp' })
    expect(await held(api)).toEqual({
      listed: [
        { sha256: sha(video), mime: 'video/mp4', size: video.length },
        { sha256: sha(jpeg), mime: 'image/jpeg', size: jpeg.length },
        { sha256: sha(webp), mime: 'image/webp', size: webp.length },
      ].sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1)),
      files: 3,
      tmp: 0,
    })
    const unknown = sha(Buffer.from('never sent'))
    const asked = await api.call('POST', '/blobs/held', { json: { sha256: [unknown, sha(jpeg), sha(video), sha(jpeg)] } })
    expect(asked.status).toBe(200)
    expect(asked.body).toEqual({ held: [sha(jpeg), sha(video)] })
    // A file listed but gone from the folder is not held: a record naming it could not be served.
    await api.library.blobs.delete(sha(webp))
    expect((await api.call('POST', '/blobs/held', { json: { sha256: [sha(webp)] } })).body).toEqual({ held: [] })
    // A put of a file is not a file a workspace reads: only a record that names it is served.
    expect((await api.call('GET', `/files/${sha(jpeg)}`)).status).toBe(404)
    const storage = (await api.library.feed.since(api.db, 'local', 0)).filter((e) => e.topic === 'storage')
    expect(storage.map((e) => e.ids)).toEqual([[sha(video)], [sha(jpeg)], [sha(webp)]])
  })

  it('refuses a file that is not what its type says, does not match its hash, or is past its limit, keeping nothing', async () => {
    const api = await startLibraryApi(engine)
    const video = mp4(4096)
    const cases: [string, Uint8Array, string | undefined, number, RegExp][] = [
      [
        sha(video),
        video,
        undefined,
        400,
        /^The file was sent without a Content-Type: send it with its type, one of video\/mp4, image\/jpeg, image\/png, image\/webp\.$/,
      ],
      [sha(video), video, 'video/webm', 400, /^The file was sent as video\/webm, which the studio does not keep: send a video or still/],
      [
        sha(video),
        video,
        'image/jpeg',
        400,
        /^The file's bytes are not image\/jpeg \(judged by its first bytes\): send it with the type it has/,
      ],
      [sha(jpeg), jpeg, 'video/mp4', 400, /^The file's bytes are not video\/mp4/],
      [sha(Buffer.alloc(0)), Buffer.alloc(0), 'image/png', 400, /^The file is empty: send its bytes\.$/],
      [
        sha(jpeg),
        video,
        'video/mp4',
        400,
        /^The file's bytes do not match its SHA-256 \(the id in the address\): it was changed or cut short on the way; upload it again\.$/,
      ],
      [
        '..%2F..%2Fgateway.lock',
        video,
        'video/mp4',
        400,
        /^The file's id is not a SHA-256: use the 64 lower-case hexadecimal characters of the SHA-256 of the file's bytes\.$/,
      ],
      [sha(video).toUpperCase(), video, 'video/mp4', 400, /^The file's id is not a SHA-256/],
    ]
    for (const [id, body, type, status, words] of cases) {
      const res = await put(api, id, body, type)
      expect({ id, type, status: res.status, reason: res.body.reason, message: res.body.message }).toEqual({
        id,
        type,
        status,
        reason: 'INVALID_REQUEST_BODY',
        message: expect.stringMatching(words),
      })
    }
    // An image past 25 MB, sent in chunks with no length to refuse it by: counted as it arrives.
    const big = Buffer.concat([jpeg, Buffer.alloc(25 * 1024 * 1024)])
    const chunked = await fetch(`${api.url}/api/library/blobs/${sha(big)}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg' },
      body: new ReadableStream({
        start(controller) {
          for (let at = 0; at < big.length; at += 1024 * 1024) controller.enqueue(big.subarray(at, at + 1024 * 1024))
          controller.close()
        },
      }),
      duplex: 'half',
    } as RequestInit)
    expect(chunked.status).toBe(413)
    expect(((await chunked.json()) as { message: string }).message).toMatch(
      /^The request body is larger than 25 MB, more than a poster, frame or thumbnail can need: a still of the studio is far smaller/,
    )
    // A video past 1 GiB by its declared length: refused before a byte is stored, and the connection is let go.
    const huge = await declaredPut(api, `/blobs/${sha(video)}`, 'video/mp4', 1024 * 1024 * 1024 + 1)
    expect(huge.status).toBe(413)
    expect(JSON.parse(huge.body)).toMatchObject({ reason: 'PAYLOAD_TOO_LARGE', metadata: { maxBytes: 1024 * 1024 * 1024 } })
    expect(huge.connection).toBe('close')
    expect(await held(api)).toEqual({ listed: [], files: 0, tmp: 0 })

    // A full disk keeps nothing and says how to make room.
    api.library.blobs.put = async () => {
      throw new BlobStoreFull('The disk is full.')
    }
    const full = await put(api, sha(video), video, 'video/mp4')
    expect(full.status).toBe(507)
    expect(full.body.message).toBe(
      "The gateway's disk is full, so the file was not kept: free some space (Settings › Storage), then upload it again.",
    )
    expect(await held(api)).toEqual({ listed: [], files: 0, tmp: 0 })

    const bad: [unknown, RegExp][] = [
      [{ sha256: [] }, /"sha256" is empty: name at least one file\./],
      [{ sha256: ['abc'] }, /"sha256" holds an entry that is not a SHA-256: use 64 lower-case hexadecimal characters\./],
      [{ sha256: sha(video) }, /"sha256" must be a list of SHA-256s/],
      [{ hashes: [sha(video)] }, /The body has "hashes", which this request does not take: remove it/],
    ]
    for (const [json, words] of bad) {
      const res = await api.call('POST', '/blobs/held', { json })
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message: expect.stringMatching(words) })
    }
  })

  it('records one use of a prompt: new at 1, then counted again and moved to the top', async () => {
    const api = await startLibraryApi(engine)
    await seedPrompt(api.db, 'a fox in the snow', new Date(Date.now() - 60_000), 3)
    await seedPrompt(api.db, 'older', new Date(Date.now() - 120_000))
    const before = Date.now()
    const fresh = await api.call('POST', '/prompts', { json: { text: '  a lighthouse at dusk ' } })
    expect(fresh.status).toBe(200)
    expect(fresh.body).toEqual({ text: 'a lighthouse at dusk', uses: 1, lastUsedAt: expect.any(Number) })
    expect(fresh.body.lastUsedAt).toBeGreaterThanOrEqual(before - 1000)
    const counted = await api.call('POST', '/prompts', { json: { text: 'a fox in the snow' } })
    expect(counted.body).toMatchObject({ text: 'a fox in the snow', uses: 4 })
    const list = (await api.call('GET', '/prompts')).body.items.map((p: { text: string; uses: number }) => [p.text, p.uses])
    expect(list).toEqual([
      ['a fox in the snow', 4],
      ['a lighthouse at dusk', 1],
      ['older', 1],
    ])
    expect((await api.library.feed.since(api.db, 'local', 0)).map((e) => e.topic)).toEqual(['prompts', 'prompts'])
    // Another workspace's history is its own.
    await api.db
      .insertInto('prompts')
      .values({ workspace_id: 'elsewhere', text: 'older', last_used_at: new Date(0), uses: 7 })
      .execute()
    expect((await api.call('POST', '/prompts', { json: { text: 'older' } })).body.uses).toBe(2)
    expect(await api.db.selectFrom('prompts').select('uses').where('workspace_id', '=', 'elsewhere').executeTakeFirst()).toEqual({
      uses: 7,
    })

    const bad: [unknown, RegExp][] = [
      [{ text: '   ' }, /"text" is empty: send the prompt that was used\./],
      [{ text: 'x'.repeat(4001) }, /"text" is longer than 4,000 characters: shorten it\./],
      [{ text: 42 }, /"text" must be text\./],
      [
        { prompt: 'x' },
        /The body has "prompt", which this request does not take: remove it and send an object such as \{"text": "a lighthouse at dusk"\}/,
      ],
    ]
    for (const [json, words] of bad) {
      const res = await api.call('POST', '/prompts', { json })
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message: expect.stringMatching(words) })
    }
  })
})

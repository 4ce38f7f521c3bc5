import { afterEach, describe, expect, it } from 'vitest'
import { createHash, randomBytes } from 'node:crypto'
import { ENGINES } from '../../testing/library-harness.ts'
import { closeLibraryApis, seedSamples, startLibraryApi, storeBlob } from '../../testing/library-fixtures.ts'

/* Stored files served with Range (a <video> seeks), and Settings › Storage's figures, on both engines. */

afterEach(closeLibraryApis)

const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

describe.each(ENGINES)('files and storage on %s', (engine) => {
  it('serves a stored video whole or by range, cacheable for good, and only what the library refers to', async () => {
    const api = await startLibraryApi(engine)
    const video = randomBytes(1000)
    const sha = await storeBlob(api.library, video, 'video/mp4')
    await seedSamples(api.db, { id: 'v', videoSha256: sha })

    const whole = await api.call('GET', `/files/${sha}`)
    expect(whole.status).toBe(200)
    expect(whole.bytes.equals(video)).toBe(true)
    expect(
      Object.fromEntries(
        ['content-type', 'content-length', 'accept-ranges', 'cache-control', 'etag'].map((h) => [h, whole.headers.get(h)]),
      ),
    ).toEqual({
      'content-type': 'video/mp4',
      'content-length': '1000',
      'accept-ranges': 'bytes',
      'cache-control': 'private, max-age=31536000, immutable',
      etag: `"${sha}"`,
    })

    const part = await api.call('GET', `/files/${sha}`, { headers: { Range: 'bytes=100-199' } })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000')
    expect(part.headers.get('content-length')).toBe('100')
    expect(part.bytes.equals(video.subarray(100, 200))).toBe(true)
    const tail = await api.call('GET', `/files/${sha}`, { headers: { Range: 'bytes=-10' } })
    expect(tail.status).toBe(206)
    expect(tail.bytes.equals(video.subarray(990))).toBe(true)
    const open = await api.call('GET', `/files/${sha}`, { headers: { Range: 'bytes=995-' } })
    expect(open.headers.get('content-range')).toBe('bytes 995-999/1000')

    const outside = await api.call('GET', `/files/${sha}`, { headers: { Range: 'bytes=2000-' } })
    expect(outside.status).toBe(416)
    expect(outside.headers.get('content-range')).toBe('bytes */1000')
    expect(outside.body).toMatchObject({ code: 416, reason: 'INVALID_REQUEST_BODY', metadata: { size: 1000 } })
    expect(outside.body.message).toBe('The Range "bytes=2000-" is outside this file (1000 bytes): ask for bytes from 0 to 999.')

    const head = await fetch(`${api.url}/api/library/files/${sha}`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe('1000')
    expect((await head.arrayBuffer()).byteLength).toBe(0)
    const cached = await api.call('GET', `/files/${sha}`, { headers: { 'If-None-Match': `"${sha}"` } })
    expect(cached.status).toBe(304)

    // Kept in the store and listed, but no sample or frame of this library refers to it: not served.
    const orphan = await storeBlob(api.library, randomBytes(10), 'video/mp4')
    const unknown = await api.call('GET', `/files/${orphan}`)
    expect(unknown.status).toBe(404)
    expect(unknown.body.message).toBe(`No stored file ${orphan}: the library holds no video, poster or frame with this SHA-256.`)
  })

  it('says where the library lives, what takes the space, and what the disk has left', async () => {
    const api = await startLibraryApi(engine)
    const empty = await api.call('GET', '/storage')
    expect(empty.status).toBe(200)
    expect(empty.body).toMatchObject({
      dataDir: api.library.config.dataDir,
      engine,
      files: { videos: { count: 0, bytes: 0 }, posters: { count: 0, bytes: 0 }, frames: { count: 0, bytes: 0 } },
    })
    expect(empty.body.database.bytes).toBeGreaterThan(0)
    expect(empty.body.disk.freeBytes).toBeGreaterThan(0)
    expect(empty.body.disk.totalBytes).toBeGreaterThanOrEqual(empty.body.disk.freeBytes)

    const video = await storeBlob(api.library, randomBytes(3000), 'video/mp4')
    const otherVideo = await storeBlob(api.library, randomBytes(500), 'video/mp4')
    const poster = await storeBlob(api.library, Buffer.concat([PNG_HEAD, randomBytes(200)]), 'image/jpeg')
    // Two samples of one video count it once; a deleted sample's file still takes space until it is purged.
    await seedSamples(api.db, { id: 'a', count: 2, videoSha256: video, posterSha256: poster })
    await seedSamples(api.db, { id: 'b', videoSha256: otherVideo })
    await api.call('DELETE', `/samples/${encodeURIComponent('local:b#0')}`)
    // Another workspace's file is not this one's.
    await seedSamples(api.db, { id: 'c', videoSha256: await storeBlob(api.library, randomBytes(700), 'video/mp4'), workspace: 'team-b' })
    const frame = Buffer.concat([PNG_HEAD, randomBytes(100)])
    const hash = createHash('sha256').update(frame).digest('hex')
    const put = await api.call('PUT', `/frames/${hash}?width=1&height=1`, { body: frame, headers: { 'Content-Type': 'image/png' } })
    expect(put.status).toBe(201)

    const figures = await api.call('GET', '/storage')
    expect(figures.body.files).toEqual({
      videos: { count: 2, bytes: 3500 },
      posters: { count: 1, bytes: 208 },
      frames: { count: 1, bytes: 108 },
    })
  })

  it('keeps each workspace to its own rows: another workspace’s sample is not found, listed or counted', async () => {
    const api = await startLibraryApi(engine)
    await seedSamples(api.db, { id: 'mine' })
    const [theirs] = await seedSamples(api.db, { id: 'theirs', workspace: 'team-b' })
    expect((await api.call('GET', '/samples')).body.items.map((s: { id: string }) => s.id)).toEqual(['local:mine#0'])
    expect((await api.call('GET', '/samples/count')).body).toEqual({ count: 1 })
    for (const [method, path] of [
      ['GET', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', '/restore'],
    ] as const) {
      const res = await api.call(
        method,
        `/samples/${encodeURIComponent(theirs!)}${path}`,
        method === 'PATCH' ? { json: { favourite: true } } : {},
      )
      expect({ method, status: res.status }).toEqual({ method, status: 404 })
    }
    const row = await api.db.selectFrom('samples').select(['favourite', 'deleted_at']).where('id', '=', theirs!).executeTakeFirstOrThrow()
    expect(row).toEqual({ favourite: false, deleted_at: null })
  })

  it('answers an unknown path with the contract 404, and takes no change from another site', async () => {
    const api = await startLibraryApi(engine)
    const [id] = await seedSamples(api.db, { id: 'o' })
    const unknown = await api.call('GET', '/sample')
    expect(unknown.status).toBe(404)
    expect(unknown.body).toMatchObject({ reason: 'NOT_FOUND', message: 'No such endpoint: GET /api/library/sample' })
    const foreign = await api.call('DELETE', `/samples/${encodeURIComponent(id!)}`, { headers: { Origin: 'https://evil.example' } })
    expect(foreign.status).toBe(403)
    expect(foreign.body.reason).toBe('ACCESS_DENY')
    expect((await api.call('GET', `/samples/${encodeURIComponent(id!)}`)).status).toBe(200)
  })
})

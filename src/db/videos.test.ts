import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { sampleRecord } from '../../testing/sample-record'
import { db, type SampleRecord } from './db'
import { keepPendingVideos, keepVideo } from './videos'

const origin = globalThis.location.origin
let okHits = 0
const mp4 = () =>
  HttpResponse.arrayBuffer(new Uint8Array([0, 0, 0, 24, 102, 116, 121, 112]).buffer, { headers: { 'Content-Type': 'video/mp4' } })
const server = setupServer(
  http.get(`${origin}/v/ok.mp4`, () => {
    okHits += 1
    return mp4()
  }),
  http.get(`${origin}/api/jiekou/video`, ({ request }) =>
    new URL(request.url).searchParams.get('url') === 'https://cdn.example/v.mp4' ? mp4() : new HttpResponse(null, { status: 404 }),
  ),
  http.get(`${origin}/v/gone.mp4`, () => new HttpResponse(null, { status: 404 })),
)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())
afterEach(async () => {
  okHits = 0
  await db.delete()
  await db.open()
})

const sample = (id: string, url: string, urlExpiresAt = Date.now() + 60_000): SampleRecord =>
  sampleRecord({ id, videoUrl: `${origin}${url}`, urlExpiresAt })

describe('keeping videos', () => {
  it('copies the video into storage once and marks the sample stored', async () => {
    await db.samples.put(sample('a', '/v/ok.mp4'))
    await Promise.all([keepVideo(sample('a', '/v/ok.mp4')), keepVideo(sample('a', '/v/ok.mp4'))])
    await keepVideo(sample('a', '/v/ok.mp4'))
    expect(okHits).toBe(1)
    expect((await db.samples.get('a'))?.stored).toBe(true)
    expect((await db.videos.get('a'))?.blob.size).toBe(8)
  })

  it("fetches a provider's video through the gateway relay", async () => {
    const s: SampleRecord = {
      ...sample('j', '/unused'),
      taskRecordId: 'jiekou:t',
      provider: 'jiekou',
      videoUrl: 'https://cdn.example/v.mp4',
    }
    await db.samples.put(s)
    await keepVideo(s)
    expect((await db.samples.get('j'))?.stored).toBe(true)
  })

  it('keeps nothing for a sample deleted while its video downloaded', async () => {
    await keepVideo(sample('gone-meanwhile', '/v/ok.mp4'))
    expect(await db.videos.get('gone-meanwhile')).toBeUndefined()
  })

  it('records why a copy failed, and keeps the sample', async () => {
    await db.samples.put(sample('b', '/v/gone.mp4'))
    await keepVideo(sample('b', '/v/gone.mp4'))
    expect(await db.samples.get('b')).toMatchObject({ stored: false, storeError: 'the video URL answered 404' })
  })

  it('on start, finishes only the copies whose URLs still live', async () => {
    await db.samples.bulkPut([sample('c', '/v/ok.mp4'), sample('d', '/v/ok.mp4', Date.now() - 1)])
    await keepPendingVideos()
    expect((await db.samples.get('c'))?.stored).toBe(true)
    expect((await db.samples.get('d'))?.stored).toBe(false)
  })
})

import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { sampleRecord } from '../../testing/sample-record'
import { db, type SampleRecord } from './db'
import { STORE_FULL, noteCopyKept } from './storage'
import { LINK_GONE, keepPendingVideos, keepVideo, keepVideosUntilStored } from './videos'

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
  server.resetHandlers()
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

  describe('a jiekou link the relay forgot (a gateway restart) or that expired', () => {
    const jiekou = (id: string, urlExpiresAt = Date.now() + 60_000): SampleRecord => ({
      ...sample(id, '/unused', urlExpiresAt),
      id: `jiekou:t9#1`,
      taskRecordId: 'jiekou:t9',
      index: 1,
      provider: 'jiekou',
      videoUrl: 'https://cdn.example/forgotten.mp4',
    })
    let resultHits = 0
    const answerResult = (videos: unknown[]) =>
      server.use(
        http.get(`${origin}/api/jiekou/v3/async/task-result`, ({ request }) => {
          resultHits += 1
          expect(new URL(request.url).searchParams.get('task_id')).toBe('t9')
          return HttpResponse.json({ task: { task_id: 't9', status: 'TASK_STATUS_SUCCEED', reason: '' }, videos })
        }),
      )
    afterEach(() => void (resultHits = 0))

    it('on a 404, asks the task result for a fresh link once, keeps it on the sample, and copies the video', async () => {
      answerResult([
        { video_url: 'https://cdn.example/other.mp4', video_url_ttl: 100 },
        { video_url: 'https://cdn.example/v.mp4', video_url_ttl: 7200 },
      ])
      const s = jiekou('x')
      await db.samples.put(s)
      const before = Date.now()
      await keepVideo(s)
      expect(resultHits).toBe(1)
      const kept = await db.samples.get(s.id)
      expect(kept).toMatchObject({ stored: true, videoUrl: 'https://cdn.example/v.mp4' })
      expect(kept!.urlExpiresAt).toBeGreaterThanOrEqual(before + 7_200_000)
    })

    it('an expired link is renewed before any fetch, also by the background copy', async () => {
      answerResult([{ video_url: 'https://cdn.example/a.mp4' }, { video_url: 'https://cdn.example/v.mp4', video_url_ttl: 3600 }])
      await db.samples.put(jiekou('x', Date.now() - 1))
      await keepPendingVideos()
      expect(resultHits).toBe(1)
      expect(await db.samples.get('jiekou:t9#1')).toMatchObject({ stored: true, videoUrl: 'https://cdn.example/v.mp4' })
    })

    it('says plainly when the result has no such video any more, and the timer then leaves it alone', async () => {
      answerResult([])
      await db.samples.put(jiekou('x', Date.now() - 1))
      await keepPendingVideos()
      expect(await db.samples.get('jiekou:t9#1')).toMatchObject({ stored: false, storeError: LINK_GONE })
      await keepPendingVideos()
      expect(resultHits).toBe(1)
    })
  })

  describe('offline', () => {
    const setOnline = (value: boolean) => Object.defineProperty(navigator, 'onLine', { value, configurable: true })
    afterEach(() => void Reflect.deleteProperty(navigator, 'onLine'))

    it('fetches nothing while offline, and keeps the copies as soon as the network is back', async () => {
      await db.samples.put(sample('n', '/v/ok.mp4'))
      setOnline(false)
      await keepPendingVideos()
      expect(okHits).toBe(0)
      // Started offline: its first try fetches nothing, and the next tick is 30 s away.
      const stop = keepVideosUntilStored()
      try {
        setOnline(true)
        globalThis.dispatchEvent(new Event('online'))
        await expect.poll(async () => (await db.samples.get('n'))?.stored).toBe(true)
        expect(okHits).toBe(1)
      } finally {
        stop()
      }
    })
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

  it('is all or nothing: a write refused for space inside keeps neither the copy nor "stored", and says storage is full', async () => {
    await db.samples.put(sample('q', '/v/ok.mp4'))
    let refusals = 1
    const refuseOnce = () => {
      if (refusals-- > 0) throw new DOMException('full', 'QuotaExceededError')
    }
    db.samples.hook('updating', refuseOnce)
    try {
      await keepVideo(sample('q', '/v/ok.mp4'))
    } finally {
      db.samples.hook('updating').unsubscribe(refuseOnce)
    }
    // The copy was written before the refusal, in the same transaction: it went with it.
    expect(await db.videos.get('q')).toBeUndefined()
    expect(await db.samples.get('q')).toMatchObject({ stored: false, storeError: STORE_FULL })
    // The next try, with room again, keeps it.
    await keepPendingVideos()
    const kept = await db.samples.get('q')
    expect([kept?.stored, kept?.storeError]).toEqual([true, undefined])
    expect(await db.videos.get('q')).toBeDefined()
  })

  it('does not fetch a refused video again while the browser says it still would not fit', async () => {
    await db.samples.put(sample('r', '/v/ok.mp4'))
    const refuse = () => {
      throw new DOMException('full', 'QuotaExceededError')
    }
    db.videos.hook('creating', refuse)
    await keepVideo(sample('r', '/v/ok.mp4'))
    db.videos.hook('creating').unsubscribe(refuse)
    expect(okHits).toBe(1)
    let free = 4
    Object.defineProperty(navigator, 'storage', {
      value: { estimate: async () => ({ usage: 100 - free, quota: 100 }) },
      configurable: true,
    })
    try {
      // Two 30 s ticks: the second still knows the size the first did not fetch again.
      await keepPendingVideos()
      await keepPendingVideos()
      expect(okHits).toBe(1)
      expect(await db.samples.get('r')).toMatchObject({ stored: false, storeError: STORE_FULL })
      free = 50
      await keepPendingVideos()
      expect(okHits).toBe(2)
      expect(await db.samples.get('r')).toMatchObject({ stored: true })
    } finally {
      Reflect.deleteProperty(navigator, 'storage')
      noteCopyKept('r')
    }
  })

  it('leaves a dropped copy alone until half-way through its link, then keeps it again', async () => {
    const now = Date.now()
    const dropped = { ...sample('o', '/v/ok.mp4', now + 60_000), createdAt: now - 10_000, offloadedAt: now - 5_000 }
    await db.samples.put(dropped)
    await keepPendingVideos(now)
    expect(okHits).toBe(0)
    await keepPendingVideos(now + 30_000)
    const back = await db.samples.get('o')
    expect([back?.stored, back?.offloadedAt]).toEqual([true, undefined])
  })
})

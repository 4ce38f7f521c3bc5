// @vitest-environment node
import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { sampleRecord } from '../../../testing/sample-record'
import type { FrameRef, StoredRequest, TaskRecord } from '../../db/db'
import { legacyDb, deleteLegacyLibrary } from '../../db/legacy-library'
import { sha256Hex } from '../../lib/bytes'
import { answerWith, withFakeLibrary } from '../../test/fake-library'
import { moveLibrary, MoveProblem } from './move-library'
import type { MoveProgress } from './move-plan'
import { oldLibraryPresent } from './old-library-present'

/*
 * The move against the old library in IndexedDB (fake-indexeddb, with the old Dexie schema) and the gateway's library
 * in memory. In Node, where a Blob body reaches fetch whole, so the gateway's check of each file against its hash holds.
 */
vi.stubGlobal('location', new URL('http://localhost:3000/'))
const library = withFakeLibrary()

afterEach(async () => {
  await deleteLegacyLibrary()
})

const mp4 = (text: string) =>
  new Blob([new Uint8Array([0, 0, 0, 16]), 'ftypisom', new Uint8Array([0, 0, 2, 0]), text], { type: 'video/mp4' })
const jpeg = (text: string) => new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), text], { type: 'image/jpeg' })
const png = (text: string) => new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), text], { type: 'image/png' })

/** An old library: a frame, finished and running tasks, an experiment with a winner, samples with their videos, prompts, a queue. */
async function seedOldLibrary(samples = 3) {
  const db = legacyDb()
  const frameBlob = png('first frame')
  const hash = await sha256Hex(frameBlob)
  const frame: FrameRef = { kind: 'stored', hash, mime: 'image/png', width: 1280, height: 720, bytes: frameBlob.size, name: 'f.png' }
  await db.frames.put({
    hash,
    blob: frameBlob,
    thumb: jpeg('thumb'),
    mime: 'image/png',
    width: 1280,
    height: 720,
    bytes: frameBlob.size,
    name: 'f.png',
    addedAt: 1,
  })
  const request: StoredRequest = {
    modelId: 'veo-3.1-generate-firstlastframe',
    params: { prompt: 'slow push in', generate_audio: false, resolution: '720p', aspect_ratio: '16:9' },
    frames: { first: frame, last: frame },
  }
  const task = (id: string, over: Partial<TaskRecord> = {}): TaskRecord => ({
    id: `local:${id}`,
    provider: 'local',
    taskId: id,
    request,
    createdAt: 1,
    status: 'TASK_STATUS_SUCCEED',
    reason: '',
    finishedAt: 2,
    ...over,
  })
  await db.experiments.put({
    id: 'e1',
    name: 'orbit',
    createdAt: 1,
    base: request,
    rows: ['slow push in'],
    columns: [{ seed: 1 }],
    marks: { '0:0': { winner: true, note: 'this one' } },
  })
  const ids = Array.from({ length: samples }, (_, i) => `t${i}`)
  await db.tasks.bulkPut([
    ...ids.map((id, i) => task(id, i === 0 ? { experimentId: 'e1', cell: { row: 0, col: 0 } } : {})),
    task('running', { status: 'TASK_STATUS_PROCESSING', finishedAt: undefined }),
  ])
  await db.samples.bulkPut(
    ids.map((id, i) => sampleRecord({ taskRecordId: `local:${id}`, request, stored: true, favourite: i === 0 ? 1 : 0 })),
  )
  await db.videos.bulkPut(ids.map((id) => ({ sampleId: `local:${id}#0`, blob: mp4(`video ${id}`), poster: jpeg(`poster ${id}`) })))
  await db.prompts.put({ text: 'slow push in', lastUsedAt: 1, uses: 3 })
  await db.queue.bulkPut([
    { id: 'waiting-0001', createdAt: 1, provider: 'local', request, state: 'queued', attempts: 0 },
    { id: 'failed-0001', createdAt: 1, provider: 'local', request, state: 'failed', attempts: 1 },
  ])
}

const records = async () => ({
  tasks: await legacyDb().tasks.count(),
  samples: await legacyDb().samples.count(),
  videos: await legacyDb().videos.count(),
})
const puts = () => library.calls.filter((c) => c.method === 'PUT').map((c) => c.path)

describe('moving the old library to the gateway', () => {
  it('brings every item across with its files, shows its progress, then deletes the old library and says how many moved', async () => {
    await seedOldLibrary()
    expect(await oldLibraryPresent()).toBe(true)
    const seen: MoveProgress[] = []
    const outcome = await moveLibrary({ onProgress: (p) => seen.push(p) })

    // 1 frame, 1 prompt, 1 experiment, 4 tasks, 3 samples, and the waiting request.
    expect(outcome).toEqual({ moved: 11, failedRequests: 1, unbuilt: 0 })
    expect(seen[0]).toMatchObject({ done: 0, total: 11, bytesDone: 0 })
    expect(seen.at(-1)).toMatchObject({ done: 11, total: 11, bytesDone: seen[0]!.bytesTotal })
    expect(seen.map((p) => p.done)).toEqual(seen.map((p) => p.done).sort((a, b) => a - b))

    expect([...library.samples.keys()].sort()).toEqual(['local:t0#0', 'local:t1#0', 'local:t2#0'])
    const first = library.samples.get('local:t0#0')!
    expect(first).toMatchObject({ favourite: true, stored: true })
    // Each video and poster is on the gateway, under the SHA-256 of its own bytes.
    expect(await sha256Hex(library.files.get(first.videoSha256!)!)).toBe(first.videoSha256)
    expect(library.files.get(first.posterSha256!)?.type).toBe('image/jpeg')
    expect(library.tasks.get('local:running')).toMatchObject({ status: 'TASK_STATUS_PROCESSING' })
    expect(library.experiments.get('e1')).toMatchObject({ marks: { '0:0': { winner: true, note: 'this one' } } })
    expect(library.prompts.get('slow push in')).toMatchObject({ uses: 3 })
    expect([...library.frames.values()][0]).toMatchObject({ name: 'f.png', thumbSha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
    // The waiting request joins the gateway's queue under its own id; the failed one is not sent again.
    expect([...library.requests.keys()]).toEqual(['waiting-0001'])

    expect(await oldLibraryPresent()).toBe(false)
  })

  it('cut short, it deletes nothing; started again, it sends only the rest, and no file twice', async () => {
    await seedOldLibrary(5)
    const pause = new AbortController()
    const cut = await moveLibrary({
      signal: pause.signal,
      // Paused once the frame, the prompt, the experiment and the tasks are across.
      onProgress: (p) => p.done >= 9 && pause.abort(),
    }).catch((e: unknown) => e)
    expect(cut).toMatchObject({ name: 'AbortError' })
    expect(await oldLibraryPresent()).toBe(true)
    expect(await records()).toEqual({ tasks: 6, samples: 5, videos: 5 })
    const before = library.calls.length

    const seen: MoveProgress[] = []
    const outcome = await moveLibrary({ onProgress: (p) => seen.push(p) })
    expect(outcome.moved).toBe(15)
    // The second run starts from what the gateway held, and asked for nothing it had.
    expect(seen[0]!.done).toBe(9)
    const again = library.calls.slice(before)
    expect(again.filter((c) => c.path === '/import').flatMap((c) => Object.keys(c.body as object))).toEqual(['samples'])
    expect(new Set(puts()).size).toBe(puts().length)
    expect(library.samples.size).toBe(5)
    expect(await oldLibraryPresent()).toBe(false)
  })

  it('keeps each computed hash on the old record, so a resumed move need not read that video again', async () => {
    await seedOldLibrary(1)
    // The gateway goes away just as the samples' records are sent.
    answerWith(
      http.post('*/api/library/import', async ({ request }) =>
        'samples' in ((await request.clone().json()) as object) ? HttpResponse.error() : undefined,
      ),
    )
    await expect(moveLibrary()).rejects.toThrow('Could not reach the gateway')
    const video = await legacyDb().videos.get('local:t0#0')
    expect(video?.sha256).toBe(await sha256Hex(video!.blob))
    expect(await records()).toEqual({ tasks: 2, samples: 1, videos: 1 })
  })

  it('deletes nothing while the gateway has not confirmed every item', async () => {
    await seedOldLibrary(2)
    // A gateway that answers but keeps no sample.
    answerWith(
      http.post('*/api/library/import', async ({ request }) => {
        const body = (await request.clone().json()) as Record<string, unknown>
        if (!body.samples) return undefined
        return HttpResponse.json({ added: {}, present: {} })
      }),
    )
    const failure = await moveLibrary().catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(MoveProblem)
    expect((failure as Error).message).toBe(
      'The gateway has not confirmed 2 items of your library, so nothing was deleted from this browser. Try again.',
    )
    expect(await records()).toEqual({ tasks: 3, samples: 2, videos: 2 })
  })

  it('a file whose bytes do not match its hash is refused by the gateway: the move stops, nothing deleted', async () => {
    await seedOldLibrary(1)
    await legacyDb().videos.update('local:t0#0', { sha256: 'a'.repeat(64) })
    await expect(moveLibrary()).rejects.toMatchObject({ status: 400 })
    expect(library.samples.size).toBe(0)
    expect(await oldLibraryPresent()).toBe(true)
  })

  it('an empty old library is simply deleted; no library at all is never created by asking', async () => {
    expect(await oldLibraryPresent()).toBe(false)
    expect(await oldLibraryPresent()).toBe(false)
    await legacyDb().open()
    expect(await oldLibraryPresent()).toBe(true)
    expect(await moveLibrary()).toEqual({ moved: 0, failedRequests: 0, unbuilt: 0 })
    expect(await oldLibraryPresent()).toBe(false)
  })
})

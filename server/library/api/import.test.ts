import { afterEach, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { ENGINES } from '../../testing/library-harness.ts'
import { closeLibraryApis, MODEL, seedTask, startLibraryApi, storeBlob, type LibraryApi } from '../../testing/library-fixtures.ts'

/*
 * The move from the browser over real HTTP, on both engines: records in the studio's shapes, written once (an import
 * sent again adds nothing), refused with words when a file or a task they name is missing, and asked after by key.
 * The runner's part (a running task polled to its end, a sample's video copied) is in runner/import-runner.test.ts.
 */

afterEach(closeLibraryApis)

const T0 = Date.parse('2026-11-01T10:00:00Z')
const request = { modelId: MODEL, params: { prompt: 'a lighthouse at dusk', seed: 7 }, frames: {} }
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

const task = (id: string, change: Record<string, unknown> = {}) => ({
  id: `local:${id}`,
  provider: 'local',
  taskId: id,
  request,
  createdAt: T0,
  status: 'TASK_STATUS_SUCCEED',
  reason: '',
  finishedAt: T0 + 60_000,
  seed: '7',
  videoCount: 1,
  dismissed: false,
  ...change,
})
const sample = (taskId: string, index: number, change: Record<string, unknown> = {}) => ({
  id: `local:${taskId}#${index}`,
  taskRecordId: `local:${taskId}`,
  provider: 'local',
  index,
  request,
  seed: '7',
  createdAt: T0 + 60_000,
  videoUrl: `https://cdn.example/${taskId}-${index}.mp4`,
  // Long gone: nothing here asks the runner to copy it.
  urlExpiresAt: T0 + 3_600_000,
  stored: false,
  favourite: false,
  ...change,
})
const experiment = (id: string, change: Record<string, unknown> = {}) => ({
  id,
  name: 'Dusk vs dawn',
  createdAt: T0,
  base: request,
  rows: ['a lighthouse at dusk', 'a lighthouse at dawn'],
  columns: [{ seed: 1 }, { seed: 2 }],
  marks: { '0:1': { winner: true, note: 'best light' } },
  ...change,
})

async function files(api: LibraryApi) {
  const video = await storeBlob(api.library, new Uint8Array(4096).fill(5), 'video/mp4')
  const poster = await storeBlob(api.library, new Uint8Array(512).fill(6), 'image/jpeg')
  const frame = await storeBlob(api.library, new Uint8Array(256).fill(7), 'image/png')
  return { video, poster, frame }
}

describe.each(ENGINES)('POST /import on %s', (engine) => {
  it('writes every kind of record in the studio’s shapes, reads them back the same, and adds nothing when sent again', async () => {
    const api = await startLibraryApi(engine)
    const { video, poster, frame } = await files(api)
    const part = {
      experiments: [experiment('exp-imported-1')],
      tasks: [
        task('a', { experimentId: 'exp-imported-1', cell: { row: 0, col: 1 } }),
        task('b', { status: 'TASK_STATUS_FAILED', reason: 'The prompt was refused.', videoCount: 0, dismissed: true }),
      ],
      samples: [
        sample('a', 0, { videoSha256: video, posterSha256: poster, stored: true, favourite: 1 }),
        sample('a', 1, { deletedAt: T0 + 120_000 }),
      ],
      prompts: [{ text: 'a lighthouse at dusk', lastUsedAt: T0 + 5000, uses: 3 }],
      frames: [{ hash: frame, mime: 'image/png', width: 64, height: 48, bytes: 256, name: 'door.png', addedAt: T0 }],
    }
    const first = await api.call('POST', '/import', { json: part })
    expect(first.status).toBe(200)
    expect(first.body).toEqual({
      added: { tasks: 2, samples: 2, experiments: 1, prompts: 1, frames: 1 },
      present: { tasks: 0, samples: 0, experiments: 0, prompts: 0, frames: 0 },
    })

    // Read back in the shapes they came in.
    const a = (await api.call('GET', '/tasks/local%3Aa')).body
    expect(a).toEqual({ ...task('a', { experimentId: 'exp-imported-1', cell: { row: 0, col: 1 } }) })
    expect((await api.call('GET', '/tasks/local%3Ab')).body).toEqual(
      task('b', { status: 'TASK_STATUS_FAILED', reason: 'The prompt was refused.', videoCount: 0, dismissed: true }),
    )
    const kept = (await api.call('GET', `/samples/${encodeURIComponent('local:a#0')}`)).body
    expect(kept).toEqual({ ...sample('a', 0, { videoSha256: video, posterSha256: poster, stored: true, favourite: true }) })
    expect((await api.call('GET', `/files/${video}`)).status).toBe(200)
    // The deleted one came deleted: out of the gallery, but undoable (and purged later like any other).
    expect((await api.call('GET', '/samples')).body.items.map((s: { id: string }) => s.id)).toEqual(['local:a#0'])
    expect((await api.call('GET', '/experiments/exp-imported-1')).body.experiment).toEqual(experiment('exp-imported-1'))
    expect((await api.call('GET', '/prompts')).body.items).toEqual(part.prompts)
    expect((await api.call('GET', `/frames/${frame}`)).body).toEqual(part.frames[0])
    // A final task is never polled or archived again.
    expect(await api.db.selectFrom('tasks').select(['id', 'finished_at', 'archived_at', 'next_poll_at']).orderBy('id').execute()).toEqual([
      { id: 'local:a', finished_at: new Date(T0 + 60_000), archived_at: new Date(T0 + 60_000), next_poll_at: null },
      { id: 'local:b', finished_at: new Date(T0 + 60_000), archived_at: null, next_poll_at: null },
    ])
    const topics = (await api.library.feed.since(api.db, 'local', 0)).map((e) => [e.topic, e.ids.length])
    expect(topics).toEqual([
      ['tasks', 2],
      ['samples', 2],
      ['experiments', 1],
      ['prompts', 0],
      ['frames', 1],
    ])

    // The same part again (a migration resumed after a cut): nothing added, everything present, nothing changed.
    const renamed = { ...part, experiments: [experiment('exp-imported-1', { name: 'Renamed meanwhile' })] }
    const again = await api.call('POST', '/import', { json: renamed })
    expect(again.body).toEqual({
      added: { tasks: 0, samples: 0, experiments: 0, prompts: 0, frames: 0 },
      present: { tasks: 2, samples: 2, experiments: 1, prompts: 1, frames: 1 },
    })
    expect((await api.call('GET', '/experiments/exp-imported-1')).body.experiment.name).toBe('Dusk vs dawn')
    expect((await api.library.feed.since(api.db, 'local', 0)).length).toBe(topics.length)

    // A part that names a task already here, and one record twice.
    const more = await api.call('POST', '/import', {
      json: { samples: [sample('b', 0), sample('b', 0)], prompts: [{ text: 'new', lastUsedAt: T0, uses: 1 }] },
    })
    expect(more.body).toEqual({
      added: { tasks: 0, samples: 1, experiments: 0, prompts: 1, frames: 0 },
      present: { tasks: 0, samples: 0, experiments: 0, prompts: 0, frames: 0 },
    })
  })

  it('says which records it holds, for the migration’s check before the browser deletes anything', async () => {
    const api = await startLibraryApi(engine)
    const { frame } = await files(api)
    await api.call('POST', '/import', {
      json: {
        tasks: [task('a')],
        samples: [sample('a', 0)],
        experiments: [experiment('exp-held-1')],
        prompts: [{ text: 'kept', lastUsedAt: T0, uses: 1 }],
        frames: [{ hash: frame, mime: 'image/png', width: 1, height: 1, bytes: 256, name: 'f.png', addedAt: T0 }],
      },
    })
    await seedTask(api.db, { id: 'theirs' })
    await api.db.updateTable('tasks').set({ workspace_id: 'elsewhere' }).where('id', '=', 'local:theirs').execute()
    const res = await api.call('POST', '/import/held', {
      json: {
        tasks: ['local:a', 'local:nope', 'local:theirs'],
        samples: ['local:a#0', 'local:a#1'],
        experiments: ['exp-held-1', 'exp-nope'],
        prompts: ['kept', 'not kept'],
        frames: [frame, sha(Buffer.from('x'))],
      },
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      tasks: ['local:a'],
      samples: ['local:a#0'],
      experiments: ['exp-held-1'],
      prompts: ['kept'],
      frames: [frame],
    })
    // Only the kinds asked.
    expect((await api.call('POST', '/import/held', { json: { samples: ['local:a#0'] } })).body).toEqual({ samples: ['local:a#0'] })
    const bad = await api.call('POST', '/import/held', { json: { videos: [] } })
    expect(bad.status).toBe(400)
    expect(bad.body.message).toMatch(/The body has "videos", which this request does not take: remove it/)
  })

  it('refuses a record naming a file or task it does not hold, naming the record and the fix, and writes nothing', async () => {
    const api = await startLibraryApi(engine)
    const { video } = await files(api)
    const missing = sha(Buffer.from('a video never uploaded'))
    const noFile = await api.call('POST', '/import', {
      json: {
        tasks: [task('a')],
        samples: [sample('a', 0, { videoSha256: missing }), sample('a', 1, { videoSha256: video, posterSha256: sha(Buffer.from('p')) })],
      },
    })
    expect(noFile.status).toBe(400)
    expect(noFile.body.message).toBe(
      `The sample local:a#0 names the video ${missing}, which the gateway does not hold: upload it to PUT /api/library/blobs/${missing} first, then import again. 1 more files are missing too (metadata.missing lists them). Nothing was imported.`,
    )
    expect(noFile.body.metadata.missing).toEqual([missing, sha(Buffer.from('p'))])
    const noThumb = await api.call('POST', '/import', {
      json: {
        frames: [{ hash: video, mime: 'image/png', width: 1, height: 1, bytes: 1, name: 'f.png', addedAt: T0, thumbSha256: missing }],
      },
    })
    expect(noThumb.body.message).toMatch(
      new RegExp(
        `^The frame ${video} \\(f\\.png\\) names the thumbnail ${missing}, which the gateway does not hold: upload it to PUT /api/library/blobs/${missing} first`,
      ),
    )
    const noTask = await api.call('POST', '/import', { json: { samples: [sample('ghost', 0)] } })
    expect(noTask.status).toBe(400)
    expect(noTask.body.message).toBe(
      'The sample local:ghost#0 belongs to the task local:ghost, which the gateway does not hold: import the task first, in this part or an earlier one. Nothing was imported.',
    )
    expect(noTask.body.metadata.missingTasks).toEqual(['local:ghost'])
    // Another workspace's id: refused whole, with words.
    await seedTask(api.db, { id: 'theirs' })
    await api.db.updateTable('tasks').set({ workspace_id: 'elsewhere' }).where('id', '=', 'local:theirs').execute()
    const taken = await api.call('POST', '/import', { json: { tasks: [task('mine'), task('theirs')] } })
    expect(taken.status).toBe(409)
    expect(taken.body.message).toMatch(
      /^The tasks local:theirs cannot be imported: their ids are taken by another workspace on this gateway\. Nothing was imported/,
    )
    expect(await api.db.selectFrom('tasks').select('id').where('workspace_id', '=', 'local').execute()).toEqual([])
    expect(await api.db.selectFrom('samples').select('id').execute()).toEqual([])
  })

  it('refuses records it cannot read, naming the record, the field and the fix', async () => {
    const api = await startLibraryApi(engine)
    const cases: [unknown, RegExp][] = [
      [{ tasks: [task('a', { status: 'DONE' })] }, /^tasks\.0: "status" must be a task status, such as TASK_STATUS_SUCCEED\.$/],
      [{ tasks: [task('a', { id: 'local:b' })] }, /^tasks\.0: "id" must be "<provider>:<taskId>", as the studio names a task\.$/],
      [{ tasks: [task('a', { createdAt: '2026-11-01' })] }, /^tasks\.0: "createdAt" must be a time in ms since 1970/],
      [{ tasks: [task('a', { colour: 'red' })] }, /^tasks\.0: a task does not take "colour": leave it out\.$/],
      [{ tasks: [task('a'), task('b', { provider: 'acme' })] }, /^tasks\.1: "provider" must be local or jiekou\./],
      [{ samples: [sample('a', 0, { id: 'local:a#1' })] }, /^samples\.0: "id" must be "<taskRecordId>#<index>"/],
      [
        { samples: [sample('a', 0, { stored: true })] },
        /^samples\.0: it says "stored": true but names no "videoSha256": upload its video to PUT \/blobs\/<sha256>/,
      ],
      [
        { samples: [sample('a', 0, { videoSha256: 'ABC' })] },
        /^samples\.0: "videoSha256" must be a SHA-256: 64 lower-case hexadecimal characters\.$/,
      ],
      [{ samples: [sample('a', 0, { offloadedAt: 1 })] }, /^samples\.0: a sample does not take "offloadedAt": leave it out\.$/],
      [
        { samples: [sample('a', 0, { request: { modelId: MODEL, params: { prompt: 'a\u0000' }, frames: {} } })] },
        /^samples\.0: "request" holds a character that cannot be stored/,
      ],
      [{ experiments: [experiment('e', { rows: 'x' })] }, /^experiments\.0: "rows" must be a list of prompts\.$/],
      [{ prompts: [{ text: 'x', lastUsedAt: T0, uses: 0 }] }, /^prompts\.0: "uses" must be a whole number from 1\.$/],
      [
        { frames: [{ hash: 'x', mime: 'image/gif', width: 1, height: 1, bytes: 1, name: 'f', addedAt: T0 }] },
        /^frames\.0: "hash" must be a SHA-256.*frames\.0: "mime" must be image\/jpeg or image\/png\./,
      ],
      [{ videos: [] }, /^The body has "videos", which this request does not take: remove it/],
      [{ tasks: task('a') }, /"tasks" must be a list of records\./],
      [
        { prompts: Array.from({ length: 2001 }, (_, i) => ({ text: `p${i}`, lastUsedAt: T0, uses: 1 })) },
        /"prompts" holds more than 2,000 records: send them in parts\./,
      ],
      [
        {
          prompts: Array.from({ length: 1500 }, (_, i) => ({ text: `p${i}`, lastUsedAt: T0, uses: 1 })),
          tasks: Array.from({ length: 501 }, (_, i) => task(`t${i}`)),
        },
        /^The import holds 2,001 records, more than 2,000: send them in parts of at most 2,000\.$/,
      ],
    ]
    for (const [json, words] of cases) {
      const res = await api.call('POST', '/import', { json })
      expect({ status: res.status, reason: res.body.reason, message: res.body.message }).toEqual({
        status: 400,
        reason: 'INVALID_REQUEST_BODY',
        message: expect.stringMatching(words),
      })
    }
    const huge = await api.call('POST', '/import', {
      json: { prompts: [{ text: 'x'.repeat(4000), lastUsedAt: T0, uses: 1 }], pad: 'y'.repeat(17 * 1024 * 1024) },
    })
    expect(huge.status).toBe(413)
    expect(huge.body.message).toMatch(/^The request body is larger than 16 MB, more than a part of an import can need/)
    expect(await api.db.selectFrom('tasks').select('id').execute()).toEqual([])
  })

  it('takes 2,000 records in one part', async () => {
    const api = await startLibraryApi(engine)
    const tasks = Array.from({ length: 1000 }, (_, i) => task(`t${String(i).padStart(4, '0')}`))
    const samples = tasks.map((t) => sample(t.taskId, 0))
    const res = await api.call('POST', '/import', { json: { tasks, samples } })
    expect(res.status).toBe(200)
    expect(res.body.added).toMatchObject({ tasks: 1000, samples: 1000 })
    expect((await api.call('GET', '/samples/count')).body).toEqual({ count: 1000 })
  })
})

import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buffer } from 'node:stream/consumers'
import { startServer, type RunningServer } from '../../app.ts'
import { readConfig } from '../../config.ts'
import { createLogger } from '../../logger.ts'
import { models } from '../../testing/gateway-harness.ts'
import { ENGINES, openTestLibrary, type TestLibrary } from '../../testing/library-harness.ts'
import { makeImage } from '../../testing/media.ts'
import { until } from '../../testing/until.ts'

/*
 * An import hands the runner what the browser was still doing, end to end on both engines with real renders: a task
 * imported while it ran at the local engine is polled by the runner to SUCCEED and archived like its own; a success
 * imported with a sample whose video the browser never kept is copied from its live link.
 */

const V31 = 'veo-3.1-generate-firstlastframe'
let work = ''
let body: Record<string, unknown>
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'veo-import-runner-test-'))
  const first = await readFile(await makeImage(join(work, 'a.png'), { width: 320, height: 180, kind: 'png', pattern: 'boxes' }))
  const last = await readFile(await makeImage(join(work, 'b.png'), { width: 320, height: 180, kind: 'png', pattern: 'bars' }))
  body = {
    prompt: 'slow pan left',
    image: first.toString('base64'),
    last_image: last.toString('base64'),
    duration_seconds: 4,
    seed: 7,
    resolution: '720p',
  }
  return () => rm(work, { recursive: true, force: true })
})

const open: { t: TestLibrary; server: RunningServer }[] = []
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.server.close()
    await o.t.dispose()
  }
})

async function gateway(engine: (typeof ENGINES)[number]) {
  const t = await openTestLibrary(engine)
  const config = readConfig({
    JIEKOU_BASE_URL: 'http://127.0.0.1:9',
    LOCAL_ENGINE_DATA_DIR: join(t.config.dataDir, 'engine'),
    LOCAL_ENGINE_PACE_MS: '50',
    GATEWAY_CLIENT_RPM: '0',
  })
  const server = await startServer({ config, models: await models(), logger: createLogger(() => {}), library: t.library, port: 0 })
  open.push({ t, server })
  return { t, server, db: t.library.store.db }
}

const json = async (res: Response) => (await res.json()) as Record<string, any> // oxlint-disable-line typescript/no-explicit-any -- read what is asserted

describe.each(ENGINES)('an import handed to the runner on %s', (engine) => {
  it('polls an imported running task to SUCCEED and archives it, and copies an imported sample’s video from its link', async () => {
    const g = await gateway(engine)
    const url = g.server.url
    // Two tasks sent by "the browser", straight to the local engine: the gateway's library knows neither.
    const submit = async () =>
      (
        await json(
          await fetch(`${url}/api/local/v3/async/${V31}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }),
        )
      ).task_id as string
    const done = await submit()
    const result = async (id: string) => json(await fetch(`${url}/api/local/v3/async/task-result?task_id=${id}`))
    const finished = await until(async () => {
      const r = await result(done)
      return r.task.status === 'TASK_STATUS_SUCCEED' ? r : undefined
    }, 90_000)
    const videoUrl = finished.videos[0].video_url as string
    const engineVideo = Buffer.from(await (await fetch(videoUrl)).arrayBuffer())
    // The other is imported while it is still queued or rendering.
    const running = await submit()
    expect((await result(running)).task.status).not.toBe('TASK_STATUS_SUCCEED')

    const request = { modelId: V31, params: { prompt: 'slow pan left', duration_seconds: 4, seed: 7 }, frames: {} }
    const now = Date.now()
    const task = (id: string, status: string) => ({
      id: `local:${id}`,
      provider: 'local',
      taskId: id,
      request,
      createdAt: now,
      status,
      reason: '',
    })
    const imported = await fetch(`${url}/api/library/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        tasks: [task(running, 'TASK_STATUS_QUEUED'), { ...task(done, 'TASK_STATUS_SUCCEED'), finishedAt: now, videoCount: 1 }],
        samples: [
          {
            id: `local:${done}#0`,
            taskRecordId: `local:${done}`,
            provider: 'local',
            index: 0,
            request,
            createdAt: now,
            videoUrl,
            urlExpiresAt: now + 3_600_000,
            stored: false,
            favourite: false,
          },
        ],
      }),
    })
    expect(imported.status).toBe(200)
    expect((await json(imported)).added).toMatchObject({ tasks: 2, samples: 1 })

    // The running one: polled by the runner's rule to its end, and archived as its own are.
    const polled = await until(
      () => g.db.selectFrom('samples').selectAll().where('task_record_id', '=', `local:${running}`).executeTakeFirst(),
      90_000,
    )
    expect(polled.video_sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(polled.poster_sha256).toMatch(/^[0-9a-f]{64}$/)
    const after = await g.db.selectFrom('tasks').selectAll().where('id', '=', `local:${running}`).executeTakeFirstOrThrow()
    expect(after).toMatchObject({ status: 'TASK_STATUS_SUCCEED', video_count: 1 })
    expect(after.polls).toBeGreaterThan(0)
    expect(after.archived_at).not.toBeNull()

    // The success whose video the browser never kept: copied from its link, with a still.
    const copied = await until(async () => {
      const s = await g.db.selectFrom('samples').selectAll().where('id', '=', `local:${done}#0`).executeTakeFirstOrThrow()
      return s.video_sha256 ? s : undefined
    }, 60_000)
    expect(copied.poster_sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(copied.store_error).toBeNull()
    expect(Buffer.compare(await buffer(await g.t.library.blobs.read(copied.video_sha256!)), engineVideo)).toBe(0)
    const served = await fetch(`${url}/api/library/files/${copied.video_sha256}`)
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('video/mp4')
    const sample = await json(await fetch(`${url}/api/library/samples/${encodeURIComponent(`local:${done}#0`)}`))
    expect(sample).toMatchObject({ stored: true, videoSha256: copied.video_sha256, posterSha256: copied.poster_sha256 })
    expect(
      (await g.db.selectFrom('tasks').select('archived_at').where('id', '=', `local:${done}`).executeTakeFirstOrThrow()).archived_at,
    ).not.toBeNull()
  }, 180_000)
})

import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../../testing/until.ts'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buffer } from 'node:stream/consumers'
import { startServer, type RunningServer } from '../../app.ts'
import { readConfig } from '../../config.ts'
import { createLogger } from '../../logger.ts'
import { models } from '../../testing/gateway-harness.ts'
import { makeImage, probe } from '../../testing/media.ts'
import { ENGINES, openTestLibrary, type TestLibrary } from '../../testing/library-harness.ts'

/*
 * The runner end to end, on both engines: a request handed to the gateway is sent to the local engine, polled, and
 * its video archived with a still, with no browser anywhere. Real renders (ffmpeg), a real gateway on an ephemeral
 * port, a real database.
 */

const V31 = 'veo-3.1-generate-firstlastframe'
let work = ''
let frames: { first: Uint8Array; last: Uint8Array }
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'veo-runner-test-'))
  frames = {
    first: await readFile(await makeImage(join(work, 'a.png'), { width: 320, height: 180, kind: 'png', pattern: 'boxes' })),
    last: await readFile(await makeImage(join(work, 'b.png'), { width: 320, height: 180, kind: 'png', pattern: 'bars' })),
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
  const engineDir = join(t.config.dataDir, 'engine')
  const config = readConfig({
    JIEKOU_BASE_URL: 'http://127.0.0.1:9',
    LOCAL_ENGINE_DATA_DIR: engineDir,
    LOCAL_ENGINE_PACE_MS: '50',
    GATEWAY_CLIENT_RPM: '0',
  })
  const lines: string[] = []
  const server = await startServer({
    config,
    models: await models(),
    logger: createLogger((l) => lines.push(l)),
    library: t.library,
    port: 0,
  })
  open.push({ t, server })
  const first = await t.library.blobs.put(frames.first)
  const last = await t.library.blobs.put(frames.last)
  return { t, server, lines, db: t.library.store.db, first: first.sha256, last: last.sha256 }
}

const request = (id: string, first: string, last: string, extra: Record<string, unknown> = {}) => ({
  id,
  provider: 'local',
  modelPath: `/v3/async/${V31}`,
  request: { modelId: V31, params: { prompt: 'slow pan left', duration_seconds: 4, seed: 7 }, frames: {} },
  body: { prompt: 'slow pan left', image: { $blob: first }, last_image: { $blob: last }, duration_seconds: 4, seed: 7, resolution: '720p' },
  priority: 'single',
  ...extra,
})

const post = (url: string, path: string, body: unknown) =>
  fetch(`${url}/api/library/requests${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

describe.each(ENGINES)('the runner on %s', (engine) => {
  it('sends a request, polls its task and archives its video with a still, with no browser open', async () => {
    const g = await gateway(engine)
    const res = await post(g.server.url, '', { requests: [request('req-000000001', g.first, g.last)] })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { items: { state: string }[] }).items[0]!.state).toBe('queued')
    // Sent again (a reload, a dropped connection): the same id is the same request.
    expect((await post(g.server.url, '', { requests: [request('req-000000001', g.first, g.last)] })).status).toBe(200)

    const sample = await until(() => g.db.selectFrom('samples').selectAll().executeTakeFirst())
    expect(sample.video_sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(sample.poster_sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(sample.seed).toBe('7')
    const video = join(work, `${engine}.mp4`)
    await writeFile(video, await buffer(await g.t.library.blobs.read(sample.video_sha256!)))
    const info = await probe(video)
    expect(info.width).toBe(1280)
    expect(info.durationSeconds).toBeCloseTo(4, 0)
    const poster = await buffer(await g.t.library.blobs.read(sample.poster_sha256!))
    expect([...poster.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff])

    const tasks = await g.db.selectFrom('tasks').selectAll().execute()
    expect(tasks).toHaveLength(1)
    expect(tasks[0]!.status).toBe('TASK_STATUS_SUCCEED')
    expect(tasks[0]!.archived_at).not.toBeNull()
    expect(tasks[0]!.video_count).toBe(1)
    const queued = await g.db.selectFrom('submit_queue').selectAll().executeTakeFirstOrThrow()
    expect(queued.state).toBe('sent')
    expect(queued.task_record_id).toBe(tasks[0]!.id)
    expect(await g.db.selectFrom('prompts').select(['text', 'uses']).execute()).toEqual([{ text: 'slow pan left', uses: 1 }])
    const topics = (await g.db.selectFrom('events').select('topic').execute()).map((e) => e.topic)
    expect(topics).toEqual(expect.arrayContaining(['queue', 'tasks', 'samples', 'prompts']))
  }, 120_000)

  it('keeps to the requests per minute, sends a single Generate before a waiting sweep, and cancels and puts back', async () => {
    const g = await gateway(engine)
    await g.db.insertInto('settings').values({ workspace_id: 'local', key: 'requestsPerMinute', value: 1 }).execute()
    const sweep = ['sweep-00000001', 'sweep-00000002', 'sweep-00000003'].map((id) =>
      request(id, g.first, g.last, { priority: 'sweep', experimentId: 'exp-1' }),
    )
    expect((await post(g.server.url, '', { requests: sweep })).status).toBe(200)
    await until(() => g.db.selectFrom('submit_queue').select('id').where('state', '=', 'sent').executeTakeFirst())
    expect((await post(g.server.url, '', { requests: [request('single-00000001', g.first, g.last)] })).status).toBe(200)
    // One send a minute: the rest wait, the single first in line.
    const waiting = await g.db
      .selectFrom('submit_queue')
      .select(['id', 'state'])
      .where('state', '=', 'queued')
      .orderBy('priority')
      .orderBy('created_at')
      .execute()
    expect(waiting.map((w) => w.id)).toEqual(['single-00000001', 'sweep-00000002', 'sweep-00000003'])
    expect(await g.db.selectFrom('rate_grants').select('key').execute()).toHaveLength(1)

    const cancelled = await post(g.server.url, '/cancel', { ids: ['sweep-00000002', 'sweep-00000003', 'sweep-00000001'] })
    expect(((await cancelled.json()) as { ids: string[] }).ids.sort()).toEqual(['sweep-00000002', 'sweep-00000003'])
    // One cancelled while it was out has become a task: Undo must not put it in line to be sent a second time.
    await g.db.updateTable('submit_queue').set({ state: 'cancelled' }).where('id', '=', 'sweep-00000001').execute()
    const restored = await post(g.server.url, '/restore', { ids: ['sweep-00000002', 'sweep-00000001'] })
    expect(((await restored.json()) as { ids: string[] }).ids).toEqual(['sweep-00000002'])
    const states = Object.fromEntries((await g.db.selectFrom('submit_queue').select(['id', 'state']).execute()).map((r) => [r.id, r.state]))
    expect(states).toEqual({
      'sweep-00000001': 'cancelled',
      'sweep-00000002': 'queued',
      'sweep-00000003': 'cancelled',
      'single-00000001': 'queued',
    })
  }, 120_000)

  it('refuses a request it cannot queue, naming the field', async () => {
    const g = await gateway(engine)
    const res = await post(g.server.url, '', { requests: [{ ...request('x', g.first, g.last) }] })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { reason: string; message: string }
    expect(body.reason).toBe('INVALID_REQUEST_BODY')
    expect(body.message).toMatch(/requests\.0\.id: an id of 8–80 letters/)
    const garbled = await fetch(`${g.server.url}/api/library/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"requests": [',
    })
    expect(garbled.status).toBe(400)
  }, 60_000)
})

import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, type RunningServer } from '../../app.ts'
import { readConfig } from '../../config.ts'
import { BUSY_MARKER, BUSY_RETRY_AFTER_SECONDS, REFUSE_KEY_MARKER } from '../../engine/submit-faults.ts'
import { EMPTY_MARKER } from '../../engine/task-store.ts'
import { createLogger } from '../../logger.ts'
import { models } from '../../testing/gateway-harness.ts'
import { makeImage } from '../../testing/media.ts'
import { ENGINES, openTestLibrary, type TestLibrary } from '../../testing/library-harness.ts'
import { until } from '../../testing/until.ts'
import { TEST_WORKSPACE_HEADER } from '../api/workspace.ts'

/*
 * Whose turn it is: each workspace keeps to its own requests per minute on the local engine, a workspace whose minute
 * is full (or whose provider asked for a pause) never holds another's requests, and a 429 holds the rest of its own
 * line until its Retry-After has passed. The engine's prompt markers ask for the 429 and the refused key; nothing
 * renders ([engine:empty]).
 */

const V31 = 'veo-3.1-generate-firstlastframe'
let work = ''
let frames: { first: Uint8Array; last: Uint8Array }
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'veo-turns-test-'))
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
  const config = readConfig({
    JIEKOU_BASE_URL: 'http://127.0.0.1:9',
    LOCAL_ENGINE_DATA_DIR: join(t.config.dataDir, 'engine'),
    LOCAL_ENGINE_PACE_MS: '50',
    GATEWAY_CLIENT_RPM: '0',
    STUDIO_TEST_WORKSPACES: '1',
  })
  const server = await startServer({ config, models: await models(), logger: createLogger(() => {}), library: t.library, port: 0 })
  open.push({ t, server })
  const first = (await t.library.blobs.put(frames.first)).sha256
  const last = (await t.library.blobs.put(frames.last)).sha256
  const db = t.library.store.db
  const queue = (workspace: string, ids: string[], prompt = 'slow pan left') =>
    fetch(`${server.url}/api/library/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TEST_WORKSPACE_HEADER]: workspace },
      body: JSON.stringify({
        requests: ids.map((id) => ({
          id,
          provider: 'local',
          modelPath: `/v3/async/${V31}`,
          request: { modelId: V31, params: { prompt }, frames: {} },
          body: { prompt: `${prompt} ${EMPTY_MARKER}`, image: { $blob: first }, last_image: { $blob: last }, duration_seconds: 4 },
          priority: 'sweep',
        })),
      }),
    }).then((r) => expect(r.status).toBe(200))
  const row = (id: string) => db.selectFrom('submit_queue').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  const sent = (id: string) => until(async () => ((await row(id)).state === 'sent' ? row(id) : undefined), 30_000)
  return { db, queue, row, sent }
}

describe.each(ENGINES)('submit turns on %s', (engine) => {
  it("a workspace's full minute holds its own requests only", async () => {
    const g = await gateway(engine)
    await g.db.insertInto('settings').values({ workspace_id: 'test-slow', key: 'requestsPerMinute', value: 1 }).execute()
    await g.queue('test-slow', ['slow-00000001', 'slow-00000002'])
    await g.sent('slow-00000001')
    // Behind the slow workspace's waiting request in line, and sent at once all the same.
    await g.queue('test-other', ['other-0000001', 'other-0000002'])
    await g.sent('other-0000001')
    await g.sent('other-0000002')
    expect((await g.row('slow-00000002')).state).toBe('queued')
  }, 60_000)

  it('a 429 holds the rest of its line until Retry-After has passed; the refused request goes first, once more', async () => {
    const g = await gateway(engine)
    await g.queue('test-busy', ['busy-00000001'], `a paper boat ${BUSY_MARKER}`)
    await g.queue('test-busy', ['busy-00000002'])
    const refused = await g.sent('busy-00000001')
    const next = await g.sent('busy-00000002')
    expect(refused.attempts).toBe(2)
    expect(next.attempts).toBe(1)
    const tasks = await g.db.selectFrom('tasks').select(['id', 'created_at']).execute()
    const taskOf = (r: typeof refused) => tasks.find((t) => t.id === r.task_record_id)!.created_at.getTime()
    // Nothing went while the provider asked for a pause: the next request left after the refused one's second send.
    expect(next.sent_at!.getTime() - refused.sent_at!.getTime()).toBeGreaterThanOrEqual(BUSY_RETRY_AFTER_SECONDS * 1000 - 50)
    expect(next.sent_at!.getTime()).toBeGreaterThanOrEqual(taskOf(refused) - 50)
  }, 60_000)

  it('a refused key fails the request with the words of a refused key, and it is not sent again', async () => {
    const g = await gateway(engine)
    await g.queue('test-key', ['key-000000001'], `a kite ${REFUSE_KEY_MARKER}`)
    const failed = await until(async () => ((await g.row('key-000000001')).state === 'failed' ? g.row('key-000000001') : undefined))
    expect(failed.attempts).toBe(1)
    expect(failed.error).toMatchObject({ status: 403, message: 'The jiekou.ai key was refused. Check it in Settings.' })
  }, 60_000)
})

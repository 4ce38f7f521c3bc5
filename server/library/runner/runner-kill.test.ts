import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { until } from '../../testing/until.ts'
import { readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { dataPaths } from '../data-dir.ts'
import { FolderBlobStore } from '../blobs/folder-store.ts'
import { openLibraryDb } from '../db/db.ts'
import { freshDataDir } from '../../testing/library-harness.ts'
import { killAllGatewayProcesses, launchGateway, type GatewayProcess } from '../../testing/gateway-process.ts'
import { makeImage } from '../../testing/media.ts'

/*
 * kill -9 in the middle of a render, on a real gateway process with its embedded library: after the restart the task
 * goes on where it was and its video is archived, and nothing is sent twice (one task at the engine, one in the
 * library). Renders wait at a gate file, so "in the middle of a render" is a fact, not a race.
 */

const V31 = 'veo-3.1-generate-firstlastframe'
const dirs: string[] = []
afterEach(async () => {
  killAllGatewayProcesses()
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})
afterAll(killAllGatewayProcesses)

const logged = (g: GatewayProcess, event: string) => () => g.events.find((e) => e.event === event)

describe('a gateway killed in the middle of a render', () => {
  it('carries the task on after the restart, archives it, and sends nothing twice', async () => {
    const dir = await freshDataDir()
    dirs.push(dir)
    const blobs = await FolderBlobStore.open(dataPaths(dir).blobs)
    const first = await blobs.put(
      await readFile(await makeImage(join(dir, 'a.png'), { width: 320, height: 180, kind: 'png', pattern: 'boxes' })),
    )
    const last = await blobs.put(
      await readFile(await makeImage(join(dir, 'b.png'), { width: 320, height: 180, kind: 'png', pattern: 'bars' })),
    )
    const gate = join(dir, 'render-gate')
    const env = { STUDIO_DATA_DIR: dir, LOCAL_ENGINE_DATA_DIR: join(dir, 'engine'), TEST_RENDER_GATE: gate }

    const g = await launchGateway(env)
    const res = await fetch(`${g.url}/api/library/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        requests: [
          {
            id: 'kill-test-0001',
            provider: 'local',
            modelPath: `/v3/async/${V31}`,
            request: { modelId: V31, params: { prompt: 'orbit', duration_seconds: 4, seed: 3 }, frames: {} },
            body: { prompt: 'orbit', image: { $blob: first.sha256 }, last_image: { $blob: last.sha256 }, duration_seconds: 4, seed: 3 },
            priority: 'single',
          },
        ],
      }),
    })
    expect(res.status).toBe(200)
    // Sent, and the render has begun (held at the gate).
    await until(logged(g, 'runner.sent'))
    const item = (await (await fetch(`${g.url}/api/library/requests/kill-test-0001`)).json()) as { taskRecordId: string }
    const taskId = item.taskRecordId.replace(/^local:/, '')
    await until(async () => {
      const r = (await (await fetch(`${g.url}/api/local/v3/async/task-result?task_id=${taskId}`)).json()) as { task: { status: string } }
      return r.task.status === 'TASK_STATUS_PROCESSING' ? true : undefined
    })
    g.signal('SIGKILL')
    await g.exited

    await writeFile(gate, '')
    const again = await launchGateway(env)
    await until(logged(again, 'runner.archived'), 90_000)
    again.signal('SIGTERM')
    expect(await again.exited).toBe(0)

    expect(await readdir(join(dir, 'engine', 'tasks'))).toHaveLength(1)
    const opened = await openLibraryDb({ embeddedDir: dataPaths(dir).db })
    const tasks = await opened.db.selectFrom('tasks').select(['id', 'status', 'video_count']).execute()
    const samples = await opened.db.selectFrom('samples').select(['id', 'video_sha256']).execute()
    const queue = await opened.db.selectFrom('submit_queue').select(['state', 'attempts']).execute()
    await opened.close()
    expect(tasks).toEqual([{ id: expect.stringMatching(/^local:/), status: 'TASK_STATUS_SUCCEED', video_count: 1 }])
    expect(samples).toEqual([{ id: `${tasks[0]!.id}#0`, video_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }])
    expect(queue).toEqual([{ state: 'sent', attempts: 1 }])
    expect(await blobs.size(samples[0]!.video_sha256!)).toBeGreaterThan(1000)
  }, 180_000)
})

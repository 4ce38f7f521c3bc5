import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../app.ts'
import { loadCatalogue } from '../catalogue.ts'
import { readConfig } from '../config.ts'
import { createLogger } from '../logger.ts'
import { makeImage } from '../testing/media.ts'
import { EMPTY_MARKER } from './task-store.ts'

/*
 * The first ETA a task reports against the time it really takes, on a real gateway with one worker and a known
 * pacing. The tasks carry EMPTY_MARKER, so nothing renders and the pacing alone sets how long they take: the
 * bounds below hold however busy the machine is (a slow machine only makes the real time longer, never the floor).
 */

// Long enough to dwarf a poll's latency, short enough for the suite: the bounds below scale with it.
const PACE_MS = 1000
const V31 = 'veo-3.1-generate-firstlastframe'

let work = ''
let server: RunningServer
let body: Record<string, unknown>

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'eta-engine-'))
  const first = await readFile(await makeImage(join(work, 'a.png'), { width: 640, height: 360, kind: 'png', pattern: 'boxes' }))
  const last = await readFile(await makeImage(join(work, 'b.png'), { width: 640, height: 360, kind: 'png', pattern: 'bars' }))
  body = { image: first.toString('base64'), last_image: last.toString('base64'), prompt: `pan left ${EMPTY_MARKER}`, duration_seconds: 4 }
  const config = readConfig({ LOCAL_ENGINE_DATA_DIR: join(work, 'data'), LOCAL_ENGINE_PACE_MS: String(PACE_MS), LOCAL_ENGINE_WORKERS: '1' })
  server = await startServer({ config, models: await loadCatalogue(), logger: createLogger(() => {}), port: 0 })
})

afterAll(async () => {
  await server?.close()
  await rm(work, { recursive: true, force: true })
})

async function submit(): Promise<{ id: string; sentAt: number }> {
  const sentAt = Date.now()
  const res = await fetch(`${server.url}/api/local/v3/async/${V31}`, { method: 'POST', body: JSON.stringify(body) })
  expect(res.status).toBe(200)
  return { id: ((await res.json()) as { task_id: string }).task_id, sentAt }
}

async function result(id: string): Promise<{ status: string; eta: number; at: number }> {
  const res = await fetch(`${server.url}/api/local/v3/async/task-result?task_id=${id}`)
  const { task } = (await res.json()) as { task: { status: string; eta: number } }
  return { status: task.status, eta: task.eta, at: Date.now() }
}

async function finishedAt(id: string): Promise<number> {
  for (;;) {
    const r = await result(id)
    if (r.status === 'TASK_STATUS_SUCCEED') return r.at
    expect(r.status).not.toBe('TASK_STATUS_FAILED')
    await new Promise((done) => setTimeout(done, 50))
  }
}

describe('the first ETA', () => {
  it('counts the task ahead, both pacings and the render: never less than the pacing alone takes', async () => {
    const one = await submit()
    const two = await submit()
    const [first1, first2] = [await result(one.id), await result(two.id)]
    expect(first2.status).toBe('TASK_STATUS_QUEUED')
    // Task two can end no sooner than: the first task's queue pacing and its processing pacing, then its own
    // processing pacing (its queue pacing runs alongside the first task's). Measured from the first submit.
    const floor2 = 3 * PACE_MS - (first2.at - one.sentAt)
    expect(first2.eta * 1000).toBeGreaterThanOrEqual(floor2)
    // Its own queue wait plus P, the floor the task itself sets.
    expect(first2.eta * 1000).toBeGreaterThanOrEqual(PACE_MS - (first2.at - two.sentAt) + PACE_MS)
    expect(first2.eta).toBeGreaterThan(first1.eta)

    const took2 = (await finishedAt(two.id)) - first2.at
    // The promise was not short: the task took no longer than the first ETA said, give or take a poll.
    expect(took2).toBeLessThanOrEqual(first2.eta * 1000 + 1000)
    expect((await result(one.id)).status).toBe('TASK_STATUS_SUCCEED')
  }, 60_000)
})

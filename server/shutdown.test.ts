import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { makeImage } from './testing/media.ts'
import { killAllGatewayProcesses, launchGateway, type GatewayProcess, type Json } from './testing/gateway-process.ts'

/*
 * SIGTERM on a real gateway process (server/testing/gateway-main.ts, which stops like `npm start`), with its engine
 * data in a temp folder, then a restart on the same folder. The promise under test: every task id handed out before
 * the signal is still a task after the restart (queued, processing or done), never TASK_NOT_FOUND.
 * Renders are held at a gate file (TEST_RENDER_GATE), so "a render in flight" is a fact, not a race.
 */

const V31 = 'veo-3.1-generate-firstlastframe'

let work = ''
let body: Record<string, unknown>

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'veo-shutdown-test-'))
  const a = await readFile(await makeImage(join(work, 'a.png'), { width: 320, height: 180, kind: 'png', pattern: 'boxes' }))
  const b = await readFile(await makeImage(join(work, 'b.png'), { width: 320, height: 180, kind: 'png', pattern: 'bars' }))
  body = { image: a.toString('base64'), last_image: b.toString('base64'), prompt: 'pan left', duration_seconds: 4, seed: 5 }
})

afterAll(async () => {
  killAllGatewayProcesses()
  await rm(work, { recursive: true, force: true })
})

type Gateway = GatewayProcess
const launch = (dataDir: string, env: Record<string, string>) => launchGateway({ LOCAL_ENGINE_DATA_DIR: dataDir, ...env })

const submit = (g: Gateway, extra: Record<string, unknown> = {}) =>
  fetch(`${g.url}/api/local/v3/async/${V31}`, { method: 'POST', body: JSON.stringify({ ...body, ...extra }) })

async function submitOk(g: Gateway, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await submit(g, extra)
  expect(res.status).toBe(200)
  return ((await res.json()) as { task_id: string }).task_id
}

async function result(g: Gateway, id: string): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${g.url}/api/local/v3/async/task-result?task_id=${id}`)
  return { status: res.status, json: (await res.json()) as Json }
}

/** The task's status, asserting on the way that the id is known (200), never TASK_NOT_FOUND. */
async function statusOf(g: Gateway, id: string): Promise<string> {
  const { status, json } = await result(g, id)
  expect({ id, status, reason: json.reason }).toEqual({ id, status: 200, reason: undefined })
  return json.task.status as string
}

// vi.waitFor, not expect.poll: the tests run concurrently, and expect.poll needs the test's own expect.
const waitFor = (g: Gateway, id: string, status: string) =>
  vi.waitFor(async () => expect(await statusOf(g, id)).toBe(status), { timeout: 30_000, interval: 50 })

const named = (g: Gateway, event: string) => g.events.filter((e) => e.event === event)

const onDisk = async (dataDir: string, id: string) =>
  (JSON.parse(await readFile(join(dataDir, 'tasks', id, 'task.json'), 'utf8')) as Json).status as string

async function expectMp4(url: string) {
  const res = await fetch(url)
  expect(res.status).toBe(200)
  const bytes = Buffer.from(await res.arrayBuffer())
  expect(bytes.length).toBe(Number(res.headers.get('content-length')))
  expect(bytes.toString('latin1', 4, 8)).toBe('ftyp')
}

// Two gateways at once: each test waits on child processes most of the time.
describe.concurrent('SIGTERM', () => {
  it('refuses new submits (503, Retry-After), still answers reads, lets the render in flight finish; the queued run after a restart', async () => {
    const dataDir = join(work, 'graceful')
    const gate = join(work, 'gate-graceful')
    const g = await launch(dataDir, { SHUTDOWN_GRACE_MS: '30000', TEST_RENDER_GATE: gate })
    await writeFile(gate, '')
    const done = await submitOk(g)
    await waitFor(g, done, 'TASK_STATUS_SUCCEED')
    const video = (await result(g, done)).json.videos[0].video_url as string
    await unlink(gate)
    const inFlight = await submitOk(g, { seed: 6 })
    await waitFor(g, inFlight, 'TASK_STATUS_PROCESSING')
    const queued = [await submitOk(g, { prompt: 'next [engine:empty]' }), await submitOk(g, { prompt: 'then [engine:empty]' })]

    g.signal('SIGTERM')
    await vi.waitFor(() => expect(named(g, 'engine.drain')).toHaveLength(1))

    // No new work: the contract's 503 with a Retry-After the studio's queue waits out.
    const refused = await submit(g, { seed: 8 })
    expect(refused.status).toBe(503)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(await refused.json()).toMatchObject({
      code: 503,
      reason: 'SERVICE_NOT_AVAILABLE',
      metadata: { retryAfterSeconds: expect.any(Number) },
    })
    // Reads go on: polls see the render in flight and the queue, and a finished video still downloads.
    expect(await statusOf(g, inFlight)).toBe('TASK_STATUS_PROCESSING')
    for (const id of queued) expect(await statusOf(g, id)).toBe('TASK_STATUS_QUEUED')
    await expectMp4(video)

    await writeFile(gate, '')
    expect(await g.exited).toBe(0)
    expect(named(g, 'shutdown.start')[0]).toMatchObject({ signal: 'SIGTERM', graceMs: 30000 })
    expect(named(g, 'shutdown.done')[0]).toMatchObject({ finished: 1, interrupted: 0, queued: 2 })
    expect(named(g, 'engine.task.kept_queued').map((e) => e.task_id)).toEqual(queued)
    expect(await onDisk(dataDir, inFlight)).toBe('TASK_STATUS_SUCCEED')
    for (const id of queued) expect(await onDisk(dataDir, id)).toBe('TASK_STATUS_QUEUED')

    const again = await launch(dataDir, { TEST_RENDER_GATE: gate })
    for (const id of [done, inFlight, ...queued]) await waitFor(again, id, 'TASK_STATUS_SUCCEED')
    expect(named(again, 'engine.task.requeued').map((e) => [e.task_id, e.was])).toEqual(queued.map((id) => [id, 'queued']))
    await expectMp4((await result(again, inFlight)).json.videos[0].video_url as string)
    again.signal('SIGTERM')
    expect(await again.exited).toBe(0)
  })

  it('records a render still running when the grace ends as interrupted, and renders it again after the restart; a crash then loses nothing either', async () => {
    const dataDir = join(work, 'cut')
    const gate = join(work, 'gate-cut')
    const g = await launch(dataDir, { SHUTDOWN_GRACE_MS: '200', TEST_RENDER_GATE: gate })
    const cut = await submitOk(g)
    await waitFor(g, cut, 'TASK_STATUS_PROCESSING')
    const queued = await submitOk(g, { prompt: 'next [engine:empty]' })
    g.signal('SIGTERM')
    expect(await g.exited).toBe(0)
    expect(named(g, 'engine.task.interrupted').map((e) => e.task_id)).toEqual([cut])
    expect(named(g, 'shutdown.done')[0]).toMatchObject({ finished: 0, interrupted: 1, queued: 1 })
    expect(await onDisk(dataDir, cut)).toBe('TASK_STATUS_PROCESSING')

    // Restarted, the cut task is known at once and renders again (held at the gate), and then the process crashes.
    const again = await launch(dataDir, { TEST_RENDER_GATE: gate })
    await waitFor(again, cut, 'TASK_STATUS_PROCESSING')
    expect(named(again, 'engine.task.requeued')).toEqual([
      expect.objectContaining({ task_id: cut, was: 'rendering' }),
      expect.objectContaining({ task_id: queued, was: 'queued' }),
    ])
    again.signal('SIGKILL')
    await again.exited

    await writeFile(gate, '')
    const third = await launch(dataDir, { TEST_RENDER_GATE: gate })
    expect(['TASK_STATUS_QUEUED', 'TASK_STATUS_PROCESSING']).toContain(await statusOf(third, cut))
    await waitFor(third, cut, 'TASK_STATUS_SUCCEED')
    await waitFor(third, queued, 'TASK_STATUS_SUCCEED')
    const { json } = await result(third, cut)
    // The same task as submitted: its seed, and a real video.
    expect(json.extra.seed).toBe('5')
    await expectMp4(json.videos[0].video_url as string)
    third.signal('SIGTERM')
    expect(await third.exited).toBe(0)
  })
})

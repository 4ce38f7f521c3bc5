import { createHash } from 'node:crypto'
import { readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { Readable } from 'node:stream'
import { join } from 'node:path'
import * as fc from 'fast-check'
import { Agent, request } from 'undici'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { ENGINES } from '../../testing/library-harness.ts'
import {
  closeLibraryApis,
  seedExperiment,
  seedPrompt,
  seedSamples,
  seedTask,
  startLibraryApi,
  storeBlob,
} from '../../testing/library-fixtures.ts'
import { describeCase, engineRequest, libraryRequest, type FuzzRequest, type Seeded } from '../../testing/library-fuzz-cases.ts'
import { encode } from '../../testing/library-fuzz-values.ts'
import { makeImage } from '../../testing/media.ts'
import { jsonb } from '../db/db.ts'

/*
 * Property-based fuzz of the library API (fast-check), on both engines, over real sockets: a keep-alive pool of four
 * connections, as a browser's, each carrying hundreds of requests, eight in flight at a time. Every route and method
 * of routes.ts and some that do not exist; real ids, another workspace's, unknown ones, and ids that try to leave the
 * data folder; hostile query strings, JSON bodies, frame uploads and Range headers; and a share of hostile submits to
 * the local engine, most of them refused by the per-client limit before their body is read.
 *
 * Every answer: below 500; a 4xx is the contract's JSON {code, reason, message, metadata} with code = status and a
 * message; no answer shows the data folder's absolute path (but /storage, whose answer it is) or a stack trace. A
 * network failure (a connection closed under a request, reset, a hang) fails the run with the request that met it.
 * The seed is printed: FUZZ_SEED=<seed> replays the same cases.
 */

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31)
/** Batches of requests in flight together, over the pool's connections. */
const BATCH = 8
const BATCHES = 320
const MIN_LIBRARY_REQUESTS = 2_000
const TIMEOUT_MS = 15_000

afterEach(closeLibraryApis)
afterAll(() => console.log(`library fuzz: FUZZ_SEED=${SEED} replays this run`))

const PNG_FILE = join(tmpdir(), `library-fuzz-${process.pid}.png`)
let png: Uint8Array | undefined
async function framePng(): Promise<Uint8Array> {
  png ??= await readFile(await makeImage(PNG_FILE, { width: 64, height: 48, kind: 'png', pattern: 'boxes' }))
  return png
}
afterAll(() => rm(PNG_FILE, { force: true }))

/** A few of everything, so that some cases name real rows: samples, tasks, a board, a frame, files, queued requests. */
async function seed(api: Awaited<ReturnType<typeof startLibraryApi>>): Promise<Seeded> {
  const video = await storeBlob(api.library, new Uint8Array(4096).fill(7), 'video/mp4')
  const poster = await storeBlob(api.library, new Uint8Array(512).fill(9), 'image/jpeg')
  await seedExperiment(api.db, { id: 'exp-fz' })
  await seedExperiment(api.db, { id: 'exp-gone', deleted: true })
  const samples = await seedSamples(api.db, {
    id: 'fz-a',
    count: 2,
    videoSha256: video,
    posterSha256: poster,
    experimentId: 'exp-fz',
    cell: { row: 0, col: 1 },
  })
  const [gone] = await seedSamples(api.db, { id: 'fz-gone' })
  await api.db.updateTable('samples').set({ deleted_at: new Date() }).where('id', '=', gone!).execute()
  const [theirs] = await seedSamples(api.db, { id: 'fz-theirs', workspace: 'elsewhere' })
  await seedTask(api.db, { id: 'fz-b', provider: 'jiekou' })
  await seedPrompt(api.db, 'a lighthouse at dusk', new Date())
  const bytes = await framePng()
  const hash = createHash('sha256').update(bytes).digest('hex')
  expect(
    (await api.call('PUT', `/frames/${hash}?width=64&height=48`, { body: bytes, headers: { 'Content-Type': 'image/png' } })).status,
  ).toBe(201)
  await api.db
    .insertInto('submit_queue')
    .values({
      workspace_id: 'local',
      id: 'fuzz-queued-0001',
      created_at: new Date(),
      provider: 'local',
      request: jsonb({ modelId: 'veo-3.1-generate-firstlastframe', params: {}, frames: {} }),
      model_path: '/v3/async/veo-3.1-generate-firstlastframe',
      body: jsonb({}),
      priority: 1,
      retry_of: null,
      experiment_id: null,
      cell: null,
      state: 'cancelled',
      sent_at: null,
      not_before: null,
      error: null,
      trouble: null,
      task_record_id: null,
    })
    .execute()
  return {
    samples: [...samples, 'local:fz-a'],
    hiddenSamples: [gone!, theirs!],
    tasks: ['local:fz-a', 'jiekou:fz-b'],
    experiments: ['exp-fz'],
    frame: { hash, png: bytes },
    files: [video, poster],
    queued: ['fuzz-queued-0001'],
    dataDir: api.library.config.dataDir,
  }
}

const STACK = /\n\s+at [^\n]*:\d+:\d+|node:internal|file:\/\/\//
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

interface Tally {
  library: number
  engine: number
  statuses: Record<number, number>
  routes: Record<string, number>
}

/** How long a feed must stay open after its first event: one that fails after its 200 ends within moments. */
const FEED_WATCH_MS = 60

/** The change feed never ends: its first event, and whether it ended soon after; then it is let go. */
async function readFeed(body: Readable): Promise<{ text: string; closed: boolean }> {
  const events = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  let text = ''
  try {
    while (!text.includes('\n\n')) {
      const read = await events.next()
      if (read.done) return { text, closed: true }
      text += String(read.value)
    }
    const next = events.next()
    next.catch(() => undefined)
    const after = await Promise.race([next, new Promise<'open'>((r) => setTimeout(() => r('open'), FEED_WATCH_MS))])
    return { text, closed: after !== 'open' && after.done === true }
  } finally {
    body.destroy()
  }
}

/** Sends one case and checks its answer; a network failure throws with the case that met it. */
async function send(base: string, agent: Agent, r: FuzzRequest, dataDir: string, tally: Tally): Promise<void> {
  // Chunks go without a Content-Length (Transfer-Encoding: chunked), as a streamed upload does.
  const body = r.body === undefined ? undefined : 'chunks' in r.body ? Readable.from(r.body.chunks) : r.body
  let res: Awaited<ReturnType<typeof request>>
  let text: string
  try {
    res = await request(`${base}${r.path}`, {
      method: r.method,
      headers: r.headers,
      body,
      dispatcher: agent,
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
    })
    if (r.route === 'GET /events' && res.statusCode === 200) {
      const feed = await readFeed(res.body)
      text = feed.text
      if (feed.closed) text += '\n(the change feed closed right after it opened)'
    } else text = await res.body.text()
  } catch (err) {
    const e = err as Error & { code?: string }
    throw new Error(`network failure (${e.code ?? e.name}: ${e.message}) on ${describeCase(r)}`, { cause: err })
  }
  const status = res.statusCode
  tally.statuses[status] = (tally.statuses[status] ?? 0) + 1
  const problems = judge(r, status, String(res.headers['content-type'] ?? ''), text, dataDir)
  if (problems.length > 0) throw new Error(`${describeCase(r)} answered ${status}: ${problems.join('; ')}\n${text.slice(0, 400)}`)
}

/** What is wrong with an answer, in words (none: it holds to the contract). */
function judge(r: FuzzRequest, status: number, type: string, text: string, dataDir: string): string[] {
  const problems: string[] = []
  if (status >= 500) problems.push('a 5xx')
  if (text.includes('(the change feed closed right after it opened)')) problems.push('the change feed closed right after it opened')
  // The path a request sent may come back in a 404's words: that is its own, not the gateway's; and Settings ›
  // Storage names the data folder, which is its answer.
  const shown = r.route === 'GET /storage' || r.path.includes(dataDir) || r.path.includes(encode(dataDir))
  if (!shown && text.includes(dataDir)) problems.push("it shows the data folder's path")
  if (!shown && new RegExp(`${escape(tmpdir())}/veo-`).test(text)) problems.push('it shows a temporary folder')
  if (STACK.test(text)) problems.push('it shows a stack trace')
  if (status < 400 || r.method === 'HEAD') return problems
  if (!type.startsWith('application/json')) return [...problems, `a ${status} as ${type}, not the contract's JSON`]
  let json: Record<string, unknown>
  try {
    json = JSON.parse(text) as Record<string, unknown>
  } catch {
    return [...problems, `a ${status} whose body is not JSON`]
  }
  if (json.code !== status) problems.push(`code ${String(json.code)} is not the status`)
  if (typeof json.reason !== 'string' || !/^[A-Z_]+$/.test(json.reason)) problems.push('no reason')
  if (typeof json.message !== 'string' || json.message.trim() === '') problems.push('no message')
  if (json.metadata === null || typeof json.metadata !== 'object') problems.push('no metadata')
  return problems
}

describe.each(ENGINES)('the library API on %s, fuzzed over keep-alive sockets', (engine) => {
  it(
    `answers ${MIN_LIBRARY_REQUESTS}+ generated requests with no 5xx, in the contract's words, and no connection lost`,
    { timeout: 120_000 },
    async () => {
      const api = await startLibraryApi(engine, { runner: true })
      const seeded = await seed(api)
      const base = api.url
      // A browser's pool: a few connections, each reused for many requests (undici: Node's fetch, where it was seen).
      const agent = new Agent({ connections: 4, pipelining: 1, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000 })
      const tally: Tally = { library: 0, engine: 0, statuses: {}, routes: {} }
      const started = performance.now()
      const one = fc.oneof({ arbitrary: libraryRequest(seeded), weight: 5 }, { arbitrary: engineRequest, weight: 1 })
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(one, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
            for (const r of batch) {
              if (r.path.startsWith('/api/library')) tally.library++
              else tally.engine++
              tally.routes[r.route] = (tally.routes[r.route] ?? 0) + 1
            }
            await Promise.all(batch.map((r) => send(base, agent, r, seeded.dataDir, tally)))
          }),
          { numRuns: BATCHES, seed: SEED, endOnFailure: true },
        )
      } finally {
        await agent.close()
      }
      const seconds = (performance.now() - started) / 1000
      console.log(
        `library fuzz on ${engine}: ${tally.library} library + ${tally.engine} engine requests in ${seconds.toFixed(1)} s, statuses ${JSON.stringify(tally.statuses)} (FUZZ_SEED=${SEED}); by route ${JSON.stringify(tally.routes)}`,
      )
      expect(tally.library).toBeGreaterThanOrEqual(MIN_LIBRARY_REQUESTS)
      // Both kinds of refusal that once cost a connection were sent: a 429 before the body, a 413 past a limit.
      expect(tally.statuses[429]).toBeGreaterThan(0)
      expect(tally.statuses[413]).toBeGreaterThan(0)
      // Still answers, on a fresh connection.
      expect((await api.call('GET', '/samples/count')).status).toBe(200)
    },
  )
})

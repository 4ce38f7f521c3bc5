import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { FetchFailure, fetchWithTimeout, type TimeLimit } from './fetch-with-timeout.ts'

/* The one time limit of the forwarder and the video relay, against a local server that answers late or stalls. */

const CHUNK = Buffer.alloc(1000, 7)
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Writes `chunks` chunks, `gapMs` apart, after `headersAfterMs`; `stallAfter` chunks and then nothing more. */
function answer(res: ServerResponse, { headersAfterMs = 0, chunks = 1, gapMs = 0, stallAfter = Infinity }) {
  setTimeout(() => {
    if (res.destroyed) return
    res.writeHead(200, { 'content-type': 'application/octet-stream' })
    let sent = 0
    const next = () => {
      if (res.destroyed) return
      if (sent >= stallAfter) return // and then nothing more
      if (sent >= chunks) return void res.end()
      res.write(CHUNK)
      sent++
      setTimeout(next, gapMs)
    }
    next()
  }, headersAfterMs)
}

let server: Server
let base: string
beforeAll(async () => {
  server = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams
    const n = (k: string, d: number) => (q.has(k) ? Number(q.get(k)) : d)
    answer(res, { headersAfterMs: n('headers', 0), chunks: n('chunks', 1), gapMs: n('gap', 0), stallAfter: n('stall', Infinity) })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})

type Outcome = { bytes: number } | { failed: FetchFailure['kind']; afterTheLimit: boolean }

/** The bytes read, or how it failed and whether it failed when the limit ran out (not long before or after). */
async function attempt(query: string, limit: TimeLimit): Promise<Outcome> {
  try {
    const res = await fetchWithTimeout(`${base}/?${query}`, {}, limit)
    return { bytes: (await res.arrayBuffer()).byteLength }
  } catch (err) {
    if (!(err instanceof FetchFailure)) throw err
    const afterTheLimit = err.timeoutMs === limit.timeoutMs && err.elapsedMs >= limit.timeoutMs - 5 && err.elapsedMs < limit.timeoutMs + 700
    return { failed: err.kind, afterTheLimit }
  }
}

const timedOut: Outcome = { failed: 'timeout', afterTheLimit: true }

describe('fetchWithTimeout', () => {
  it.each<[string, string, TimeLimit, Outcome]>([
    ['a prompt answer', 'chunks=3', { timeoutMs: 300, limit: 'total' }, { bytes: 3000 }],
    ['headers too late', 'headers=1000', { timeoutMs: 150, limit: 'total' }, timedOut],
    ['headers too late, idle limit', 'headers=1000', { timeoutMs: 150, limit: 'idle' }, timedOut],
    ['a body that stalls', 'chunks=3&stall=1', { timeoutMs: 150, limit: 'total' }, timedOut],
    ['a body that stalls, idle limit', 'chunks=3&stall=1', { timeoutMs: 150, limit: 'idle' }, timedOut],
    ['a slow body that keeps moving, total limit', 'chunks=6&gap=60', { timeoutMs: 200, limit: 'total' }, timedOut],
    // Longer in all (720 ms) than its idle limit, and no gap near it: a loaded machine's late timer does not cut it.
    ['a slow body that keeps moving, idle limit', 'chunks=12&gap=60', { timeoutMs: 500, limit: 'idle' }, { bytes: 12000 }],
    ['no limit', 'headers=300&chunks=2&gap=100', { timeoutMs: 0, limit: 'total' }, { bytes: 2000 }],
  ])('%s', async (_name, query, limit, want) => {
    expect(await attempt(query, limit)).toEqual(want)
  })

  it('says "unreachable", with the system code, when nothing listens', async () => {
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise((r) => closed.close(r))
    const err = await fetchWithTimeout(`http://127.0.0.1:${port}/`, {}, { timeoutMs: 1000, limit: 'total' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(FetchFailure)
    expect(err).toMatchObject({ kind: 'unreachable', code: 'ECONNREFUSED' })
  })

  it('tells onBodyFailure when the body fails after the headers', async () => {
    const seen: FetchFailure[] = []
    const res = await fetchWithTimeout(
      `${base}/?chunks=3&stall=1`,
      {},
      { timeoutMs: 150, limit: 'idle', onBodyFailure: (f) => seen.push(f) },
    )
    expect(res.status).toBe(200)
    await expect(res.arrayBuffer()).rejects.toBeInstanceOf(FetchFailure)
    expect(seen.map((f) => f.kind)).toEqual(['timeout'])
  })

  it('no longer times out once the body is cancelled', async () => {
    const seen: FetchFailure[] = []
    const res = await fetchWithTimeout(
      `${base}/?chunks=3&stall=1`,
      {},
      { timeoutMs: 100, limit: 'total', onBodyFailure: (f) => seen.push(f) },
    )
    await res.body?.cancel()
    await wait(250)
    expect(seen).toEqual([])
  })
})

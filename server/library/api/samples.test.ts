import { afterEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { ENGINES } from '../../testing/library-harness.ts'
import { closeLibraryApis, MODEL, seedExperiment, seedSamples, startLibraryApi, type LibraryApi } from '../../testing/library-fixtures.ts'
import type { LibraryEvent } from '../events.ts'

/* The gallery's API over real HTTP, on both engines: keyset pages, filters, count, favourite, delete and undo. */

afterEach(closeLibraryApis)

const T0 = Date.parse('2026-11-01T10:00:00Z')
const pad = (n: number) => String(n).padStart(2, '0')

/** Every page of `path`, following nextCursor. */
async function allPages(api: LibraryApi, path: string, limit: number) {
  const pages: { id: string; createdAt: number }[][] = []
  let cursor: string | null = null
  do {
    const sep = path.includes('?') ? '&' : '?'
    const res = await api.call('GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
    expect(res.status).toBe(200)
    pages.push(res.body.items)
    cursor = res.body.nextCursor
  } while (cursor && pages.length < 50)
  return pages
}

describe.each(ENGINES)('the gallery API on %s', (engine) => {
  it('pages 60 samples by 25: each once, newest first, ties broken by id, also within one millisecond', async () => {
    const api = await startLibraryApi(engine)
    // 15 tasks of 4 samples; three tasks share each moment, so 12 samples share a created_at.
    for (let t = 0; t < 15; t++)
      await seedSamples(api.db, { id: `t${pad(t)}`, count: 4, createdAt: new Date(T0 + Math.floor(t / 3) * 1000) })
    // Two tasks a quarter of a millisecond apart: a cursor in whole ms would skip or repeat them.
    await sql`update samples set created_at = created_at + interval '250 microseconds' where task_record_id in ('local:t13', 'local:t14')`.execute(
      api.db,
    )

    const pages = await allPages(api, '/samples', 25)
    expect(pages.map((p) => p.length)).toEqual([25, 25, 10])
    const ids = pages.flat().map((s) => s.id)
    expect(new Set(ids).size).toBe(60)
    const expected = pages
      .flat()
      .map((s) => ({ ...s }))
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
      .map((s) => s.id)
    expect(ids).toEqual(expected)
    expect(ids.slice(0, 8)).toEqual([3, 2, 1, 0].flatMap((i) => [`local:t14#${i}`]).concat([3, 2, 1, 0].map((i) => `local:t13#${i}`)))
    const last = await api.call('GET', '/samples?limit=200')
    expect(last.body.nextCursor).toBeNull()
    expect(last.body.items.map((s: { id: string }) => s.id)).toEqual(ids)
  })

  it('answers a sample in the studio’s shape, with ms times and where its files are kept', async () => {
    const api = await startLibraryApi(engine)
    const [id] = await seedSamples(api.db, { id: 'abc', seed: '42', createdAt: new Date(T0), videoSha256: undefined })
    const res = await api.call('GET', `/samples/${encodeURIComponent(id!)}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.body).toMatchObject({
      id: 'local:abc#0',
      taskRecordId: 'local:abc',
      provider: 'local',
      index: 0,
      seed: '42',
      createdAt: T0,
      videoUrl: 'https://cdn.example/abc-0.mp4',
      stored: false,
      favourite: false,
      request: { modelId: MODEL, params: { prompt: 'a lighthouse at dusk', seed: 42 }, frames: {} },
    })
    expect(typeof res.body.urlExpiresAt).toBe('number')
    expect(res.body).not.toHaveProperty('deletedAt')
    expect(res.body).not.toHaveProperty('workspace_id')
  })

  it('filters by favourite, model, provider, prompt words, seed and experiment, and counts the same', async () => {
    const api = await startLibraryApi(engine)
    await seedExperiment(api.db, { id: 'exp1' })
    await seedSamples(api.db, { id: 'a', prompt: 'A Lighthouse at DUSK', seed: '123', favourite: true })
    await seedSamples(api.db, { id: 'b', prompt: 'a fox in snow', seed: '12', provider: 'jiekou', count: 2 })
    await seedSamples(api.db, { id: 'c', prompt: '100% cotton_field', seed: '7', modelId: 'veo-3.1-fast', experimentId: 'exp1', count: 3 })
    await seedSamples(api.db, { id: 'd', prompt: 'gone', favourite: true })
    await api.call('DELETE', `/samples/${encodeURIComponent('local:d#0')}`)

    const cases: [string, string[]][] = [
      ['', ['local:a#0', 'jiekou:b#0', 'jiekou:b#1', 'local:c#0', 'local:c#1', 'local:c#2']],
      ['favourite=1', ['local:a#0']],
      ['favourite=0', ['jiekou:b#0', 'jiekou:b#1', 'local:c#0', 'local:c#1', 'local:c#2']],
      [`model=${MODEL}`, ['local:a#0', 'jiekou:b#0', 'jiekou:b#1']],
      ['model=veo-3.1-fast', ['local:c#0', 'local:c#1', 'local:c#2']],
      ['provider=jiekou', ['jiekou:b#0', 'jiekou:b#1']],
      ['provider=local&favourite=1', ['local:a#0']],
      ['q=lighthouse%20at%20dusk', ['local:a#0']],
      ['q=FOX', ['jiekou:b#0', 'jiekou:b#1']],
      ['q=123', ['local:a#0']],
      ['q=seed%20123', ['local:a#0']],
      ['q=Seed%2012', ['jiekou:b#0', 'jiekou:b#1']],
      ['q=9', []],
      // % and _ are letters to look for, not wildcards.
      ['q=100%25', ['local:c#0', 'local:c#1', 'local:c#2']],
      ['q=n_f', ['local:c#0', 'local:c#1', 'local:c#2']],
      ['q=a_f', []],
      ['q=gone', []],
      ['experiment=exp1', ['local:c#0', 'local:c#1', 'local:c#2']],
      ['experiment=nope', []],
    ]
    for (const [query, expected] of cases) {
      const list = await api.call('GET', `/samples?${query}`)
      expect({ query, status: list.status, ids: list.body.items.map((s: { id: string }) => s.id).sort() }).toEqual({
        query,
        status: 200,
        ids: [...expected].sort(),
      })
      const count = await api.call('GET', `/samples/count?${query}`)
      expect({ query, ...count.body }).toEqual({ query, count: expected.length })
    }
  })

  it('marks a favourite, deletes softly and restores, recording each change in the feed', async () => {
    const api = await startLibraryApi(engine)
    const [id] = await seedSamples(api.db, { id: 'fav' })
    const path = `/samples/${encodeURIComponent(id!)}`
    const heard: LibraryEvent[] = []
    const stop = api.library.feed.subscribe((e) => heard.push(e))

    const fav = await api.call('PATCH', path, { json: { favourite: true } })
    expect(fav.status).toBe(200)
    expect(fav.body.favourite).toBe(true)
    expect((await api.call('GET', '/samples?favourite=1')).body.items).toHaveLength(1)

    const before = Date.now()
    const del = await api.call('DELETE', path)
    expect(del.status).toBe(200)
    expect(del.body.deletedAt).toBeGreaterThanOrEqual(before - 1000)
    expect(del.body.favourite).toBe(true)
    expect((await api.call('GET', '/samples')).body.items).toEqual([])
    expect((await api.call('GET', '/samples/count')).body).toEqual({ count: 0 })
    expect((await api.call('GET', path)).status).toBe(404)
    // A second delete (another tab) keeps the first stamp and records nothing.
    expect((await api.call('DELETE', path)).body.deletedAt).toBe(del.body.deletedAt)
    // A deleted sample takes no favourite.
    expect((await api.call('PATCH', path, { json: { favourite: false } })).status).toBe(404)

    const restored = await api.call('POST', `${path}/restore`)
    expect(restored.status).toBe(200)
    expect(restored.body).not.toHaveProperty('deletedAt')
    expect(restored.body.favourite).toBe(true)
    expect((await api.call('GET', '/samples')).body.items.map((s: { id: string }) => s.id)).toEqual([id])
    stop()

    const recorded = (await api.library.feed.since(api.db, 'local', 0)).filter((e) => e.topic === 'samples')
    expect(recorded.map((e) => [e.topic, e.ids])).toEqual([
      ['samples', [id]],
      ['samples', [id]],
      ['samples', [id]],
    ])
    expect(heard.filter((e) => e.topic === 'samples').map((e) => e.id)).toEqual(recorded.map((e) => e.id))
  })

  it('refuses unknown samples, bad filters and bad bodies with words that say what to fix', async () => {
    const api = await startLibraryApi(engine)
    const [id] = await seedSamples(api.db, { id: 'x' })
    const path = `/samples/${encodeURIComponent(id!)}`

    const unknown = await api.call('GET', '/samples/local%3Anope%230')
    expect(unknown.status).toBe(404)
    expect(unknown.body).toMatchObject({ code: 404, reason: 'NOT_FOUND', message: 'No sample local:nope#0: it may have been deleted.' })
    for (const [method, p] of [
      ['PATCH', '/samples/nope'],
      ['DELETE', '/samples/nope'],
      ['POST', '/samples/nope/restore'],
      ['GET', '/samples/%00'],
    ] as const) {
      const res = await api.call(method, p, method === 'PATCH' ? { json: { favourite: true } } : {})
      expect(res.status, `${method} ${p}`).toBe(404)
      expect(res.body.message, `${method} ${p}`).toMatch(/^No sample /)
    }

    const refusals: [string, RegExp][] = [
      ['limit=0', /"limit" must be a whole number from 1 to 200 \(leave it out for 60\)/],
      ['limit=201', /"limit" must be a whole number from 1 to 200/],
      ['limit=ten', /"limit" must be a whole number/],
      ['cursor=bm9wZQ', /"cursor" is not one this list gave out: pass the nextCursor/],
      ['favourite=yes', /"favourite" must be 1 \(favourites only\) or 0/],
      ['provider=acme', /"provider" must be local or jiekou/],
      ['favorite=1', /The query has "favorite", which this list does not take: remove it\. It takes .*"favourite"/],
      ['q=%00', /"q" holds a character that cannot be stored/],
      [`q=${'x'.repeat(501)}`, /"q" is longer than 500 characters: shorten it/],
    ]
    for (const [query, words] of refusals) {
      const res = await api.call('GET', `/samples?${query}`)
      expect({ query, status: res.status, reason: res.body.reason, message: res.body.message }).toEqual({
        query,
        status: 400,
        reason: 'INVALID_REQUEST_BODY',
        message: expect.stringMatching(words),
      })
    }

    const bodies: [{ body?: string; json?: unknown }, RegExp][] = [
      [{ body: '{"favourite": tru' }, /^The request body is not valid JSON: send JSON such as \{"favourite": true\}\.$/],
      [{ body: '' }, /The request body is empty: send JSON such as \{"favourite": true\}/],
      [{ json: [] }, /The body must be a JSON object such as \{"favourite": true\}/],
      [{ json: {} }, /"favourite" must be true or false: send \{"favourite": true\}/],
      [{ json: { favourite: 'yes' } }, /"favourite" must be true or false/],
      [{ json: { favourite: true, colour: 'red' } }, /The body has "colour", which this request does not take: remove it/],
    ]
    for (const [init, words] of bodies) {
      const res = await api.call('PATCH', path, { ...init, headers: { 'Content-Type': 'application/json' } })
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message: expect.stringMatching(words) })
    }
    const big = await api.call('PATCH', path, { json: { favourite: true, pad: 'x'.repeat(5000) } })
    expect(big.status).toBe(413)
    expect(big.body).toMatchObject({ reason: 'PAYLOAD_TOO_LARGE' })
    expect(big.body.message).toMatch(/larger than 4 KB, more than a favourite mark can need: send only the fields it takes/)
    expect((await api.call('GET', path)).body.favourite).toBe(false)
  })
})

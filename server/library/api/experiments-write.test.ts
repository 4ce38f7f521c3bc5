import { afterEach, describe, expect, it } from 'vitest'
import { jsonb, type LibraryKysely } from '../db/db.ts'
import { ENGINES } from '../../testing/library-harness.ts'
import { closeLibraryApis, MODEL, seedExperiment, seedSamples, startLibraryApi } from '../../testing/library-fixtures.ts'

/* Run sweep, Delete experiment and its Undo over real HTTP, on both engines. */

afterEach(closeLibraryApis)

const T0 = Date.parse('2026-11-01T10:00:00Z')
const board = (change: Record<string, unknown> = {}) => ({
  id: 'sweep-0000-0001',
  name: 'Dusk vs dawn',
  base: { modelId: MODEL, params: { prompt: 'a lighthouse', duration_seconds: 8 }, frames: {} },
  rows: ['a lighthouse at dusk', 'a lighthouse at dawn'],
  columns: [{ seed: 1 }, { seed: 2, varied: { key: 'resolution', value: '1080p' } }],
  createdAt: T0,
  ...change,
})

/** A request of the submit queue, as POST /requests writes one. */
async function queue(db: LibraryKysely, id: string, state: string, experimentId: string, workspace = 'local') {
  await db
    .insertInto('submit_queue')
    .values({
      workspace_id: workspace,
      id,
      created_at: new Date(),
      provider: 'local',
      request: jsonb({ modelId: MODEL, params: {}, frames: {} }),
      model_path: `/v3/async/${MODEL}`,
      body: jsonb({}),
      priority: 1,
      retry_of: null,
      experiment_id: experimentId,
      cell: null,
      state,
      sent_at: null,
      not_before: null,
      error: null,
      trouble: null,
      task_record_id: state === 'sent' ? 'local:x' : null,
    })
    .execute()
}

describe.each(ENGINES)('experiment writes on %s', (engine) => {
  it('creates a board once: the same create again is the same board, other content under its id a conflict', async () => {
    const api = await startLibraryApi(engine)
    const created = await api.call('POST', '/experiments', { json: board({ name: '  Dusk vs dawn ' }) })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({
      id: 'sweep-0000-0001',
      name: 'Dusk vs dawn',
      createdAt: T0,
      base: board().base,
      rows: board().rows,
      columns: board().columns,
      marks: {},
    })
    const again = await api.call('POST', '/experiments', { json: board() })
    expect(again.status).toBe(200)
    expect(again.body).toEqual(created.body)
    // Left out, the time is the first create's.
    const { createdAt: _, ...timeless } = board()
    expect((await api.call('POST', '/experiments', { json: timeless })).status).toBe(200)
    expect((await api.call('GET', '/experiments')).body.items.map((e: { id: string }) => e.id)).toEqual(['sweep-0000-0001'])

    const other = await api.call('POST', '/experiments', { json: board({ rows: ['a fox'] }) })
    expect(other.status).toBe(409)
    expect(other.body.message).toBe('An experiment sweep-0000-0001 already exists with other content: give the new board a new id.')
    await api.call('DELETE', '/experiments/sweep-0000-0001')
    const deleted = await api.call('POST', '/experiments', { json: board() })
    expect(deleted.status).toBe(409)
    expect(deleted.body.message).toMatch(
      /was deleted: restore it with POST \/experiments\/sweep-0000-0001\/restore, or give the new board a new id/,
    )
    // A board without a time takes the gateway's.
    const now = await api.call('POST', '/experiments', { json: { ...timeless, id: 'sweep-0000-0002' } })
    expect(now.status).toBe(201)
    expect(Math.abs(now.body.createdAt - Date.now())).toBeLessThan(60_000)
    const events = (await api.library.feed.since(api.db, 'local', 0)).filter((e) => e.topic === 'experiments')
    expect(events.map((e) => e.ids)).toEqual([['sweep-0000-0001'], ['sweep-0000-0001'], ['sweep-0000-0002']])
  })

  it('refuses a board it cannot keep, naming the field and the fix', async () => {
    const api = await startLibraryApi(engine)
    const cases: [unknown, RegExp][] = [
      [board({ id: 'short' }), /"id" must be 8–80 letters, digits, - or _ \(a UUID, as the studio makes\)\./],
      [board({ id: 'has a space!' }), /"id" must be 8–80 letters/],
      [board({ name: '  ' }), /"name" is empty: give the experiment a name\./],
      [board({ base: { modelId: MODEL, params: {} } }), /"base"'s "frames" must be an object of frames by slot/],
      [board({ base: 'veo' }), /"base" must be a request such as \{"modelId"/],
      [board({ base: { modelId: MODEL, params: { prompt: 'a\u0000b' }, frames: {} } }), /"base" holds a character that cannot be stored/],
      [board({ rows: [] }), /"rows" is empty: a board has at least one prompt\./],
      [board({ rows: ['x'.repeat(4001)] }), /A row is longer than 4,000 characters: shorten it\./],
      [board({ columns: [{ seed: 1.5 }] }), /A column's "seed" must be a whole number\./],
      [
        board({ columns: [{ seed: 1, varied: { key: 'colour', value: 'red' } }] }),
        /"varied.key" must be duration_seconds, resolution, aspect_ratio or modelId/,
      ],
      [board({ columns: [] }), /"columns" is empty: a board has at least one column\./],
      [board({ createdAt: 'today' }), /"createdAt" must be a time in ms since 1970/],
      [board({ marks: {} }), /The body has "marks", which this request does not take: remove it/],
    ]
    for (const [json, words] of cases) {
      const res = await api.call('POST', '/experiments', { json })
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message: expect.stringMatching(words) })
    }
    expect((await api.call('GET', '/experiments')).body.items).toEqual([])
  })

  it('deletes softly: the board, its tasks and samples leave every read, its waiting requests are cancelled; restore brings all back', async () => {
    const api = await startLibraryApi(engine)
    await seedExperiment(api.db, { id: 'sweep-0001' })
    await seedSamples(api.db, { id: 'c00', experimentId: 'sweep-0001', cell: { row: 0, col: 0 }, count: 2 })
    await seedSamples(api.db, { id: 'single' })
    await queue(api.db, 'req-waiting-1', 'queued', 'sweep-0001')
    await queue(api.db, 'req-waiting-2', 'queued', 'sweep-0001')
    await queue(api.db, 'req-out', 'sending', 'sweep-0001')
    await queue(api.db, 'req-done', 'sent', 'sweep-0001')
    await queue(api.db, 'req-other', 'queued', 'sweep-0002')
    const samples = async (query = '') => (await api.call('GET', `/samples${query}`)).body.items.map((s: { id: string }) => s.id).sort()
    expect(await samples()).toEqual(['local:c00#0', 'local:c00#1', 'local:single#0'])

    const before = Date.now()
    const del = await api.call('DELETE', '/experiments/sweep-0001')
    expect(del.status).toBe(200)
    expect(del.body).toEqual({ id: 'sweep-0001', deletedAt: expect.any(Number), cancelled: expect.any(Array) })
    expect(del.body.deletedAt).toBeGreaterThanOrEqual(before - 1000)
    expect(del.body.cancelled.sort()).toEqual(['req-waiting-1', 'req-waiting-2'])
    const states = Object.fromEntries(
      (await api.db.selectFrom('submit_queue').select(['id', 'state']).execute()).map((r) => [r.id, r.state]),
    )
    expect(states).toEqual({
      'req-waiting-1': 'cancelled',
      'req-waiting-2': 'cancelled',
      'req-out': 'sending',
      'req-done': 'sent',
      'req-other': 'queued',
    })
    expect((await api.call('GET', '/experiments')).body.items).toEqual([])
    const gone = await api.call('GET', '/experiments/sweep-0001')
    expect(gone.status).toBe(404)
    expect(gone.body.message).toBe('No experiment sweep-0001: it may have been deleted.')
    expect(await samples()).toEqual(['local:single#0'])
    expect((await api.call('GET', '/samples/count')).body).toEqual({ count: 1 })
    expect(await samples('?experiment=sweep-0001')).toEqual([])
    // A second delete keeps the first stamp and cancels nothing more.
    expect((await api.call('DELETE', '/experiments/sweep-0001')).body).toEqual({
      id: 'sweep-0001',
      deletedAt: del.body.deletedAt,
      cancelled: [],
    })

    const restored = await api.call('POST', '/experiments/sweep-0001/restore')
    expect(restored.status).toBe(200)
    expect(restored.body).toMatchObject({ id: 'sweep-0001', name: 'Sweep sweep-0001' })
    expect(restored.body).not.toHaveProperty('deletedAt')
    expect(await samples()).toEqual(['local:c00#0', 'local:c00#1', 'local:single#0'])
    expect((await api.call('GET', '/experiments/sweep-0001')).body.samples).toHaveLength(2)
    // Undo puts the cancelled requests back with the queue's own restore.
    expect((await api.call('POST', '/requests/restore', { json: { ids: del.body.cancelled } })).body.ids.sort()).toEqual(
      del.body.cancelled.sort(),
    )
    // A second restore answers the board as it is.
    expect((await api.call('POST', '/experiments/sweep-0001/restore')).status).toBe(200)

    const topics = (await api.library.feed.since(api.db, 'local', 0)).map((e) => [e.topic, e.ids])
    expect(topics.slice(0, 4)).toEqual([
      ['experiments', ['sweep-0001']],
      ['tasks', []],
      ['samples', []],
      ['queue', expect.arrayContaining(['req-waiting-1', 'req-waiting-2'])],
    ])
  })

  it('refuses unknown experiments, and leaves another workspace’s alone', async () => {
    const api = await startLibraryApi(engine)
    await seedExperiment(api.db, { id: 'theirs-0001' })
    await api.db.updateTable('experiments').set({ workspace_id: 'elsewhere' }).where('id', '=', 'theirs-0001').execute()
    await queue(api.db, 'req-theirs', 'queued', 'theirs-0001', 'elsewhere')
    for (const [method, path] of [
      ['DELETE', '/experiments/nope'],
      ['DELETE', '/experiments/theirs-0001'],
      ['POST', '/experiments/theirs-0001/restore'],
    ] as const) {
      const res = await api.call(method, path)
      expect({ path, status: res.status, reason: res.body.reason }).toEqual({ path, status: 404, reason: 'NOT_FOUND' })
    }
    expect((await api.call('POST', '/experiments/nope/restore')).body.message).toBe(
      'No experiment nope: it was never here, or was deleted more than 5 minutes ago and removed for good.',
    )
    expect(await api.db.selectFrom('experiments').select('deleted_at').where('id', '=', 'theirs-0001').executeTakeFirst()).toEqual({
      deleted_at: null,
    })
    expect(await api.db.selectFrom('submit_queue').select('state').where('id', '=', 'req-theirs').executeTakeFirst()).toEqual({
      state: 'queued',
    })
  })
})

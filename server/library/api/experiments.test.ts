import { afterEach, describe, expect, it } from 'vitest'
import { ENGINES } from '../../testing/library-harness.ts'
import { closeLibraryApis, seedExperiment, seedPrompt, seedSamples, seedTask, startLibraryApi } from '../../testing/library-fixtures.ts'

/* Tasks, experiments with their boards, and the prompt history, over real HTTP on both engines. */

afterEach(closeLibraryApis)

const T0 = Date.parse('2026-11-01T10:00:00Z')
const ids = (items: { id: string }[]) => items.map((i) => i.id)

describe.each(ENGINES)('tasks, experiments and prompts on %s', (engine) => {
  it('pages tasks newest first, leaves out dismissed ones with visible=1, and reads one', async () => {
    const api = await startLibraryApi(engine)
    for (let i = 0; i < 7; i++)
      await seedTask(api.db, { id: `t${i}`, createdAt: new Date(T0 + i * 1000), dismissed: i % 3 === 0, seed: String(i) })
    const first = await api.call('GET', '/tasks?limit=4')
    expect(ids(first.body.items)).toEqual(['local:t6', 'local:t5', 'local:t4', 'local:t3'])
    const second = await api.call('GET', `/tasks?limit=4&cursor=${first.body.nextCursor}`)
    expect(ids(second.body.items)).toEqual(['local:t2', 'local:t1', 'local:t0'])
    expect(second.body.nextCursor).toBeNull()
    expect(ids((await api.call('GET', '/tasks?visible=1')).body.items)).toEqual(['local:t5', 'local:t4', 'local:t2', 'local:t1'])

    const one = await api.call('GET', '/tasks/local%3At3')
    expect(one.status).toBe(200)
    expect(one.body).toMatchObject({
      id: 'local:t3',
      provider: 'local',
      taskId: 't3',
      createdAt: T0 + 3000,
      status: 'TASK_STATUS_SUCCEED',
      dismissed: true,
      seed: '3',
    })
    const unknown = await api.call('GET', '/tasks/local%3Anope')
    expect(unknown.status).toBe(404)
    expect(unknown.body.message).toBe('No task local:nope: check the id, which names its provider, as in "local:<task id>".')
  })

  it('lists experiments, and reads a board with its tasks and their samples', async () => {
    const api = await startLibraryApi(engine)
    await seedExperiment(api.db, { id: 'old', createdAt: new Date(T0) })
    await seedExperiment(api.db, { id: 'new', createdAt: new Date(T0 + 1000), marks: { '0:1': { winner: true } } })
    await seedExperiment(api.db, { id: 'gone', createdAt: new Date(T0 + 2000), deleted: true })
    await seedSamples(api.db, { id: 'c00', experimentId: 'new', cell: { row: 0, col: 0 }, createdAt: new Date(T0 + 10) })
    await seedSamples(api.db, { id: 'c01', experimentId: 'new', cell: { row: 0, col: 1 }, createdAt: new Date(T0 + 20), count: 2 })
    await seedSamples(api.db, { id: 'other', createdAt: new Date(T0 + 30) })

    const list = await api.call('GET', '/experiments')
    expect(ids(list.body.items)).toEqual(['new', 'old'])
    expect(list.body.items[0]).toMatchObject({
      name: 'Sweep new',
      createdAt: T0 + 1000,
      rows: ['a lighthouse at dusk', 'a lighthouse at dawn'],
    })
    expect(list.body.items[0].columns).toEqual([{ seed: 100 }, { seed: 101 }, { seed: 102 }])

    const board = await api.call('GET', '/experiments/new')
    expect(board.status).toBe(200)
    expect(board.body.experiment).toMatchObject({ id: 'new', marks: { '0:1': { winner: true } } })
    expect(ids(board.body.tasks)).toEqual(['local:c00', 'local:c01'])
    expect(board.body.tasks[1].cell).toEqual({ row: 0, col: 1 })
    expect(ids(board.body.samples)).toEqual(['local:c00#0', 'local:c01#0', 'local:c01#1'])

    for (const id of ['gone', 'nope']) {
      const res = await api.call('GET', `/experiments/${id}`)
      expect(res.status).toBe(404)
      expect(res.body.message).toBe(`No experiment ${id}: it may have been deleted.`)
    }
  })

  it('renames a board and merges winners and notes cell by cell, recording the change', async () => {
    const api = await startLibraryApi(engine)
    await seedExperiment(api.db, { id: 'e', marks: { '0:0': { winner: true }, '1:2': { note: 'too dark' } } })
    const first = await api.call('PATCH', '/experiments/e', { json: { name: '  Dusk vs dawn ', marks: { '0:0': { note: 'best light' } } } })
    expect(first.status).toBe(200)
    expect(first.body.name).toBe('Dusk vs dawn')
    expect(first.body.marks).toEqual({ '0:0': { winner: true, note: 'best light' }, '1:2': { note: 'too dark' } })
    const second = await api.call('PATCH', '/experiments/e', { json: { marks: { '0:0': { winner: false }, '1:1': { winner: true } } } })
    expect(second.body.marks).toEqual({
      '0:0': { winner: false, note: 'best light' },
      '1:1': { winner: true },
      '1:2': { note: 'too dark' },
    })
    expect(second.body.name).toBe('Dusk vs dawn')
    expect((await api.call('GET', '/experiments/e')).body.experiment.marks).toEqual(second.body.marks)
    const events = (await api.library.feed.since(api.db, 'local', 0)).filter((e) => e.topic === 'experiments')
    expect(events.map((e) => [e.topic, e.ids])).toEqual([
      ['experiments', ['e']],
      ['experiments', ['e']],
    ])
  })

  it('refuses marks it cannot keep, with words that name the cell or field', async () => {
    const api = await startLibraryApi(engine)
    await seedExperiment(api.db, { id: 'e', columns: 3 })
    const cases: [unknown, RegExp][] = [
      [{ marks: { '0:0': { note: 'x'.repeat(10_001) } } }, /A note is longer than 10,000 characters: shorten it\./],
      [
        { marks: { '2:0': { winner: true } } },
        /"marks" has the cell "2:0", which is outside this board \(2 rows × 3 columns, counted from 0\)/,
      ],
      [{ marks: { 'a:b': { winner: true } } }, /"marks" has the key "a:b", which is not a cell: use "row:col", such as "0:1"\./],
      [{ marks: { '0:0': { winner: 'yes' } } }, /A mark's "winner" must be true or false\./],
      [{ marks: { '0:0': { star: true } } }, /A cell's marks take only "winner" and "note": remove "star"\./],
      [{ marks: [] }, /"marks" must be an object of cells/],
      [{ name: '   ' }, /"name" is empty: give the experiment a name, or leave "name" out\./],
      [{ title: 'x' }, /The body has "title", which this request does not take: remove it/],
      // Found by the library fuzz: an empty change was a 500 (an update with nothing to set).
      [{}, /^The body changes nothing: send "name", "marks" or both/],
    ]
    for (const [json, words] of cases) {
      const res = await api.call('PATCH', '/experiments/e', { json })
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message: expect.stringMatching(words) })
    }
    // A note of exactly 10,000 characters is kept.
    const full = await api.call('PATCH', '/experiments/e', { json: { marks: { '1:2': { note: 'y'.repeat(10_000) } } } })
    expect(full.status).toBe(200)
    expect(full.body.marks['1:2'].note).toHaveLength(10_000)
    const missing = await api.call('PATCH', '/experiments/nope', { json: { name: 'x' } })
    expect(missing.status).toBe(404)
    expect(missing.body.message).toBe('No experiment nope: it may have been deleted.')
    const broken = await api.call('PATCH', '/experiments/e', { body: '{"name": ', headers: { 'Content-Type': 'application/json' } })
    expect(broken.status).toBe(400)
    expect(broken.body.message).toMatch(/^The request body is not valid JSON: send JSON such as \{"marks"/)
  })

  it('searches the prompt history by words, case aside, most recent first, in pages', async () => {
    const api = await startLibraryApi(engine)
    await seedPrompt(api.db, 'A lighthouse at dusk, slow push in', new Date(T0 + 3000), 4)
    await seedPrompt(api.db, 'a fox in the snow at dusk', new Date(T0 + 2000))
    await seedPrompt(api.db, 'Dusk over the harbour lighthouse', new Date(T0 + 1000))
    await seedPrompt(api.db, '50% off_sale', new Date(T0))
    const texts = (items: { text: string }[]) => items.map((p) => p.text)

    const all = await api.call('GET', '/prompts')
    expect(texts(all.body.items)).toEqual([
      'A lighthouse at dusk, slow push in',
      'a fox in the snow at dusk',
      'Dusk over the harbour lighthouse',
      '50% off_sale',
    ])
    expect(all.body.items[0]).toEqual({ text: 'A lighthouse at dusk, slow push in', lastUsedAt: T0 + 3000, uses: 4 })
    expect(texts((await api.call('GET', '/prompts?q=LIGHTHOUSE%20dusk')).body.items)).toEqual([
      'A lighthouse at dusk, slow push in',
      'Dusk over the harbour lighthouse',
    ])
    expect(texts((await api.call('GET', '/prompts?q=%25%20f_s')).body.items)).toEqual(['50% off_sale'])
    expect(texts((await api.call('GET', '/prompts?q=o%25')).body.items)).toEqual([])
    const page1 = await api.call('GET', '/prompts?q=dusk&limit=2')
    expect(texts(page1.body.items)).toEqual(['A lighthouse at dusk, slow push in', 'a fox in the snow at dusk'])
    const page2 = await api.call('GET', `/prompts?q=dusk&limit=2&cursor=${page1.body.nextCursor}`)
    expect(texts(page2.body.items)).toEqual(['Dusk over the harbour lighthouse'])
    expect(page2.body.nextCursor).toBeNull()
    const bad = await api.call('GET', '/prompts?query=dusk')
    expect(bad.status).toBe(400)
    expect(bad.body.message).toBe('The query has "query", which this list does not take: remove it. It takes "q", "limit", "cursor".')
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { ENGINES } from '../../testing/library-harness.ts'
import { closeLibraryApis, seedSamples, startLibraryApi, type LibraryApi } from '../../testing/library-fixtures.ts'

/* The gallery's selection bar over real HTTP, on both engines: favourite, delete and restore many samples at once. */

afterEach(closeLibraryApis)

const visible = async (api: LibraryApi) => (await api.call('GET', '/samples?limit=200')).body.items.map((s: { id: string }) => s.id).sort()

/** Three tasks of two samples, and one sample of another workspace that no call here may touch. */
async function seed(api: LibraryApi) {
  const ids = [
    ...(await seedSamples(api.db, { id: 'a', count: 2 })),
    ...(await seedSamples(api.db, { id: 'b', count: 2 })),
    ...(await seedSamples(api.db, { id: 'c', count: 2 })),
  ]
  // Another workspace's sample (team mode): its id is named in every selection below, and it never changes.
  await seedSamples(api.db, { id: 'theirs', workspace: 'elsewhere' })
  const theirs = 'local:theirs#0'
  return { ids, theirs }
}

const theirRow = (api: LibraryApi, id: string) =>
  api.db.selectFrom('samples').select(['favourite', 'deleted_at']).where('id', '=', id).executeTakeFirstOrThrow()

describe.each(ENGINES)('the selection bar on %s', (engine) => {
  it('marks and unmarks favourites, answering the samples it changed in the order asked, leaving out unknown ones', async () => {
    const api = await startLibraryApi(engine)
    const { ids, theirs } = await seed(api)
    const picked = [ids[3]!, ids[0]!, 'local:nope#0', ids[0]!, theirs]
    const marked = await api.call('POST', '/samples/favourite', { json: { ids: picked, favourite: true } })
    expect(marked.status).toBe(200)
    expect(marked.body.items.map((s: { id: string; favourite: boolean }) => [s.id, s.favourite])).toEqual([
      [ids[3], true],
      [ids[0], true],
    ])
    expect(marked.body.items[0]).toMatchObject({ taskRecordId: 'local:b', stored: false, createdAt: expect.any(Number) })
    expect((await api.call('GET', '/samples/count?favourite=1')).body).toEqual({ count: 2 })
    expect(await theirRow(api, theirs)).toMatchObject({ favourite: false })

    const unmarked = await api.call('POST', '/samples/favourite', { json: { ids: [ids[0]], favourite: false } })
    expect(unmarked.body.items.map((s: { favourite: boolean }) => s.favourite)).toEqual([false])
    expect((await api.call('GET', '/samples/count?favourite=1')).body).toEqual({ count: 1 })

    const events = (await api.library.feed.since(api.db, 'local', 0)).filter((e) => e.topic === 'samples')
    expect(events.map((e) => e.ids.sort())).toEqual([[ids[0], ids[3]].sort(), [ids[0]]])
  })

  it('deletes a selection with one stamp, restores exactly that deletion, and leaves the rest alone', async () => {
    const api = await startLibraryApi(engine)
    const { ids, theirs } = await seed(api)
    const before = Date.now()
    const first = await api.call('POST', '/samples/delete', { json: { ids: [ids[0], ids[1], 'local:nope#0', theirs] } })
    expect(first.status).toBe(200)
    expect(first.body).toEqual({ ids: [ids[0], ids[1]], deletedAt: expect.any(Number) })
    expect(first.body.deletedAt).toBeGreaterThanOrEqual(before - 1000)
    expect(await visible(api)).toEqual(ids.slice(2).sort())
    expect((await api.call('GET', '/samples/count')).body).toEqual({ count: 4 })
    expect(await theirRow(api, theirs)).toMatchObject({ deleted_at: null })

    // A second deletion, later (from a card): one deleted already keeps its first stamp.
    await new Promise((r) => setTimeout(r, 5))
    const second = await api.call('POST', '/samples/delete', { json: { ids: [ids[1], ids[2]] } })
    expect(second.body.ids).toEqual([ids[2]])
    expect(second.body.deletedAt).toBeGreaterThan(first.body.deletedAt)

    // Undo of the first deletion brings back its own samples only; the second keeps its own Undo.
    const undo = await api.call('POST', '/samples/restore', { json: { ids: [ids[0], ids[1], ids[2]], deletedAt: first.body.deletedAt } })
    expect(undo.body).toEqual({ ids: [ids[0], ids[1]] })
    expect(await visible(api)).toEqual([ids[0], ids[1], ids[3], ids[4], ids[5]].sort())
    // Without a stamp, any deletion of these ids; one not deleted is left out.
    expect((await api.call('POST', '/samples/restore', { json: { ids: [ids[2], ids[3], theirs] } })).body).toEqual({ ids: [ids[2]] })
    expect(await visible(api)).toEqual([...ids].sort())

    const events = (await api.library.feed.since(api.db, 'local', 0)).filter((e) => e.topic === 'samples')
    expect(events.map((e) => e.ids.sort())).toEqual([[ids[0], ids[1]].sort(), [ids[2]], [ids[0], ids[1]].sort(), [ids[2]]])
    // Nothing to change records nothing.
    expect((await api.call('POST', '/samples/restore', { json: { ids: ['local:nope#0'] } })).body).toEqual({ ids: [] })
    expect((await api.library.feed.since(api.db, 'local', 0)).filter((e) => e.topic === 'samples')).toHaveLength(4)
  })

  it('refuses a selection it cannot read, with words that name the field and the fix', async () => {
    const api = await startLibraryApi(engine)
    const cases: [string, unknown, RegExp][] = [
      ['/samples/favourite', { ids: ['local:a#0'] }, /"favourite" must be true or false: send true to mark the samples/],
      ['/samples/favourite', { ids: [], favourite: true }, /"ids" is empty: name at least one sample\./],
      ['/samples/favourite', { ids: 'local:a#0', favourite: true }, /"ids" must be a list of sample ids, such as \["local:abc#0"\]/],
      ['/samples/delete', {}, /"ids" must be a list of sample ids/],
      ['/samples/delete', { ids: [3] }, /"ids" must hold sample ids as text/],
      ['/samples/delete', { ids: ['a\u0000b'] }, /"ids" holds an id with a character that cannot be stored/],
      [
        '/samples/delete',
        { ids: Array.from({ length: 1001 }, (_, i) => `s${i}`) },
        /"ids" names more than 1,000 samples: send them in parts of at most 1,000\./,
      ],
      ['/samples/delete', { ids: ['x'], favourite: true }, /The body has "favourite", which this request does not take: remove it/],
      [
        '/samples/restore',
        { ids: ['x'], deletedAt: 'yesterday' },
        /"deletedAt" must be the deletion's time in ms, as POST \/samples\/delete answered it/,
      ],
      ['/samples/restore', [], /The body must be a JSON object such as \{"ids": \["local:abc#0"\], "deletedAt": 1767225600000\}/],
    ]
    for (const [path, json, words] of cases) {
      const res = await api.call('POST', path, { json })
      expect({ path, status: res.status, reason: res.body.reason, message: res.body.message }).toEqual({
        path,
        status: 400,
        reason: 'INVALID_REQUEST_BODY',
        message: expect.stringMatching(words),
      })
    }
    const garbled = await api.call('POST', '/samples/delete', { body: '{"ids": [', headers: { 'Content-Type': 'application/json' } })
    expect(garbled.body.message).toBe('The request body is not valid JSON: send JSON such as {"ids": ["local:abc#0"]}.')
  })
})

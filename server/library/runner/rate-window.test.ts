import { afterEach, describe, expect, it } from 'vitest'
import { takeTurn } from './rate-window.ts'
import { ENGINES, openTestLibrary, type TestLibrary } from '../../testing/library-harness.ts'

const open: TestLibrary[] = []
afterEach(async () => {
  for (const l of open.splice(0)) await l.dispose()
})

describe.each(ENGINES)('the rate window on %s', (engine) => {
  it('grants at most the limit in a minute, says when the next turn comes, and keeps keys apart', async () => {
    const t = await openTestLibrary(engine)
    open.push(t)
    const db = t.library.store.db
    const turns = await Promise.all(Array.from({ length: 8 }, () => takeTurn(db, 'key-a', 5)))
    expect(turns.filter((x) => x.granted)).toHaveLength(5)
    const refused = turns.filter((x) => !x.granted) as { retryInMs: number }[]
    expect(refused).toHaveLength(3)
    for (const r of refused) expect(r.retryInMs).toBeGreaterThan(55_000)
    expect(await takeTurn(db, 'key-b', 5)).toEqual({ granted: true })
    expect(await takeTurn(db, 'key-a', 0)).toEqual({ granted: true })
  })

  it('lets a turn go once the oldest grant has left the window', async () => {
    const t = await openTestLibrary(engine)
    open.push(t)
    const db = t.library.store.db
    // Two grants 61 s and 30 s old: one has left the window, one has not.
    await db
      .insertInto('rate_grants')
      .values([
        { key: 'k', at: new Date(Date.now() - 61_000) },
        { key: 'k', at: new Date(Date.now() - 30_000) },
      ])
      .execute()
    expect(await takeTurn(db, 'k', 2)).toEqual({ granted: true })
    const next = await takeTurn(db, 'k', 2)
    expect(next.granted).toBe(false)
    expect((next as { retryInMs: number }).retryInMs).toBeGreaterThan(25_000)
    // The window kept is half a second longer than the provider's minute (uploads take uneven time).
    expect((next as { retryInMs: number }).retryInMs).toBeLessThanOrEqual(30_500)
  })
})

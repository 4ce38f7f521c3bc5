// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest'
import { sampleRecord } from '../../testing/sample-record'
import { db } from './db'
import {
  PURGE_GRACE_MS,
  UNDO_WINDOW_MS,
  deleteSample,
  deleteSamples,
  purgeExpiredDeletions,
  purgeSample,
  purgeSamples,
  restoreSample,
  restoreSamples,
  setFavourite,
  toggleFavourite,
} from './samples'

const sample = sampleRecord({ stored: true })
const video = { sampleId: sample.id, blob: new Blob(['x']), poster: new Blob(['p']) }

afterEach(async () => {
  await db.delete()
  await db.open()
})

describe('sample writes', () => {
  it('toggle the favourite mark on and off', async () => {
    await db.samples.put(sample)
    await toggleFavourite(sample.id)
    expect((await db.samples.get(sample.id))?.favourite).toBe(1)
    await toggleFavourite(sample.id)
    expect((await db.samples.get(sample.id))?.favourite).toBe(0)
  })

  it('count two quick presses as two', async () => {
    await db.samples.put(sample)
    await Promise.all([toggleFavourite(sample.id), toggleFavourite(sample.id)])
    expect((await db.samples.get(sample.id))?.favourite).toBe(0)
  })

  it('delete softly: Undo brings the sample back whole, with its video, poster and favourite', async () => {
    await db.samples.put({ ...sample, favourite: 1 })
    await db.videos.put(video)
    await deleteSample(sample.id, 1000)
    expect((await db.samples.get(sample.id))?.deletedAt).toBe(1000)
    await restoreSample(sample.id)
    expect(await db.samples.get(sample.id)).toEqual({ ...sample, favourite: 1 })
    const kept = await db.videos.get(sample.id)
    expect(kept?.blob).toBeDefined()
    expect(kept?.poster).toBeDefined()
  })

  it('purge a deleted sample together with its stored video, but not one restored or deleted again meanwhile', async () => {
    await db.samples.put(sample)
    await db.videos.put(video)
    await deleteSample(sample.id, 1000)
    await restoreSample(sample.id)
    await purgeSample(sample.id, 1000)
    expect(await db.samples.get(sample.id)).toBeDefined()
    // Deleted again (another tab's toast still holds the first deletion): only the newer deletion's purge counts.
    await deleteSample(sample.id, 2000)
    await purgeSample(sample.id, 1000)
    expect(await db.samples.get(sample.id)).toBeDefined()
    await purgeSample(sample.id, 2000)
    expect(await db.samples.get(sample.id)).toBeUndefined()
    expect(await db.videos.get(sample.id)).toBeUndefined()
  })

  it('at start, purge deletions whose window has passed and hand back the ones still undoable', async () => {
    const old = sampleRecord({ taskRecordId: 'local:old', deletedAt: 0 })
    const recent = sampleRecord({ taskRecordId: 'local:recent', deletedAt: 5000 })
    const kept = sampleRecord({ taskRecordId: 'local:kept' })
    await db.samples.bulkPut([old, recent, kept])
    await db.videos.bulkPut([
      { sampleId: old.id, blob: new Blob(['o']) },
      { sampleId: recent.id, blob: new Blob(['r']) },
    ])
    // Just past the window, a deletion is left alone: another tab may still show its toast.
    expect(await purgeExpiredDeletions(UNDO_WINDOW_MS + 1)).toEqual([recent])
    expect(await db.samples.count()).toBe(3)
    const now = UNDO_WINDOW_MS + PURGE_GRACE_MS + 1
    expect(await purgeExpiredDeletions(now)).toEqual([])
    expect((await db.samples.toArray()).map((s) => s.id).sort()).toEqual([kept.id, recent.id].sort())
    expect(await db.videos.get(old.id)).toBeUndefined()
    expect(await db.videos.get(recent.id)).toBeDefined()
  })
})

describe('bulk sample writes (the selection bar)', () => {
  const a = sampleRecord({ taskRecordId: 'local:a', stored: true })
  const b = sampleRecord({ taskRecordId: 'local:b', stored: true, favourite: 1 })
  const c = sampleRecord({ taskRecordId: 'local:c', stored: true })
  const put = async () => {
    await db.samples.bulkPut([a, b, c])
    await db.videos.bulkPut([a, b, c].map((s) => ({ sampleId: s.id, blob: new Blob([s.id]) })))
  }
  const ids = [a.id, b.id]

  it('mark and unmark several favourites at once, leaving the others alone', async () => {
    await put()
    await setFavourite(ids, true)
    expect((await db.samples.bulkGet([a.id, b.id, c.id])).map((s) => s?.favourite)).toEqual([1, 1, 0])
    await setFavourite(ids, false)
    expect((await db.samples.bulkGet([a.id, b.id, c.id])).map((s) => s?.favourite)).toEqual([0, 0, 0])
  })

  it('delete several with one stamp; one restore brings them all back whole', async () => {
    await put()
    expect(await deleteSamples(ids, 3000)).toBe(3000)
    expect((await db.samples.bulkGet([a.id, b.id, c.id])).map((s) => s?.deletedAt)).toEqual([3000, 3000, undefined])
    await restoreSamples(ids, 3000)
    expect(await db.samples.get(a.id)).toEqual(a)
    expect(await db.samples.get(b.id)).toEqual(b)
    expect(await db.videos.count()).toBe(3)
  })

  it('leave a sample already deleted with its own stamp, and restore only what the stamp deleted', async () => {
    await put()
    await deleteSample(a.id, 1000)
    await deleteSamples(ids, 3000)
    expect((await db.samples.get(a.id))?.deletedAt).toBe(1000)
    await restoreSamples(ids, 3000)
    expect((await db.samples.get(a.id))?.deletedAt).toBe(1000)
    expect((await db.samples.get(b.id))?.deletedAt).toBeUndefined()
  })

  it('purge only the samples still deleted by that stamp, with their videos', async () => {
    await put()
    await deleteSamples([a.id, b.id, c.id], 3000)
    // b was brought back (another tab's Undo), c deleted again since: both stay.
    await restoreSample(b.id)
    await deleteSample(c.id, 4000)
    await purgeSamples([a.id, b.id, c.id], 3000)
    expect((await db.samples.toArray()).map((s) => s.id).sort()).toEqual([b.id, c.id].sort())
    expect((await db.videos.toArray()).map((v) => v.sampleId).sort()).toEqual([b.id, c.id].sort())
  })

  it('a bulk deletion is offered again at start, and purged once its window has long passed, like a single one', async () => {
    await put()
    await deleteSamples(ids, 3000)
    expect((await purgeExpiredDeletions(3000 + 1)).map((s) => s.id).sort()).toEqual([...ids].sort())
    expect(await purgeExpiredDeletions(3000 + UNDO_WINDOW_MS + PURGE_GRACE_MS)).toEqual([])
    expect((await db.samples.toArray()).map((s) => s.id)).toEqual([c.id])
    expect(await db.videos.count()).toBe(1)
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { sampleRecord } from '../../testing/sample-record'
import { db } from './db'
import { PURGE_GRACE_MS, UNDO_WINDOW_MS, deleteSample, purgeExpiredDeletions, purgeSample, restoreSample, toggleFavourite } from './samples'

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

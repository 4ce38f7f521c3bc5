import { afterEach, describe, expect, it } from 'vitest'
import { sampleRecord } from '../../testing/sample-record'
import { db } from './db'
import { deleteSample, toggleFavourite } from './samples'

const sample = sampleRecord({ stored: true })

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

  it('delete a sample together with its stored video', async () => {
    await db.samples.put(sample)
    await db.videos.put({ sampleId: sample.id, blob: new Blob(['x']) })
    await deleteSample(sample.id)
    expect(await db.samples.get(sample.id)).toBeUndefined()
    expect(await db.videos.get(sample.id)).toBeUndefined()
  })
})

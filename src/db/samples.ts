import { useLiveQuery } from 'dexie-react-hooks'
import { db, type SampleRecord } from './db'

/** Every sample, newest first, live; undefined until the first read. */
export function useSamples(): SampleRecord[] | undefined {
  return useLiveQuery(() => db.samples.orderBy('createdAt').reverse().toArray(), [])
}

/** Flips a sample's favourite mark, reading the stored mark in the same transaction so two quick presses both count. */
export async function toggleFavourite(sampleId: string): Promise<void> {
  await db.transaction('rw', db.samples, async () => {
    const sample = await db.samples.get(sampleId)
    if (sample) await db.samples.update(sampleId, { favourite: sample.favourite ? 0 : 1 })
  })
}

/** Removes a sample and its stored video together, so no video is left without its sample. */
export async function deleteSample(sampleId: string): Promise<void> {
  await db.transaction('rw', db.samples, db.videos, () => Promise.all([db.samples.delete(sampleId), db.videos.delete(sampleId)]))
}

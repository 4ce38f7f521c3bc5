import { db, type SampleRecord } from './db'

const inFlight = new Map<string, Promise<void>>()

/**
 * Copies a sample's video into storage once, before its URL expires; from then on the gallery plays the
 * stored copy. A failure is recorded on the sample and tried again later while the URL lives.
 */
export function keepVideo(sample: Pick<SampleRecord, 'id' | 'videoUrl'>): Promise<void> {
  const running = inFlight.get(sample.id)
  if (running) return running
  const job = (async () => {
    try {
      if (await db.videos.get(sample.id)) {
        await db.samples.update(sample.id, { stored: true, storeError: undefined })
        return
      }
      const response = await fetch(sample.videoUrl)
      if (!response.ok) throw new Error(`the video URL answered ${response.status}`)
      const blob = await response.blob()
      await db.transaction('rw', db.videos, db.samples, async () => {
        await db.videos.put({ sampleId: sample.id, blob })
        await db.samples.update(sample.id, { stored: true, storeError: undefined })
      })
    } catch (e) {
      await db.samples.update(sample.id, { storeError: e instanceof Error ? e.message : String(e) })
    } finally {
      inFlight.delete(sample.id)
    }
  })()
  inFlight.set(sample.id, job)
  return job
}

/** On start: finish copying whatever a reload or a network fault interrupted, while the URLs still live. */
export async function keepPendingVideos(now = Date.now()): Promise<void> {
  const pending = await db.samples.filter((s) => !s.stored && s.urlExpiresAt > now).toArray()
  await Promise.all(pending.map(keepVideo))
}

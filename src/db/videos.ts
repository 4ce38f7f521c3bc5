import { videoFetchUrl } from '../api/gateway-urls'
import { capturePoster } from '../lib/poster'
import { findModel, videoShape } from '../models'
import { db, type SampleRecord } from './db'

const inFlight = new Map<string, Promise<void>>()

/**
 * Copies a sample's video into storage once, before its URL expires; from then on the gallery plays the
 * stored copy. A failure is recorded on the sample and tried again later while the URL lives.
 */
export function keepVideo(sample: Pick<SampleRecord, 'id' | 'provider' | 'videoUrl' | 'request'>): Promise<void> {
  const running = inFlight.get(sample.id)
  if (running) return running
  const job = (async () => {
    try {
      if (await db.videos.get(sample.id)) {
        await db.samples.update(sample.id, { stored: true, storeError: undefined })
        return
      }
      const response = await fetch(new URL(videoFetchUrl(sample.provider, sample.videoUrl), globalThis.location.href))
      if (!response.ok) throw new Error(`the video URL answered ${response.status}`)
      const blob = await response.blob()
      // Samples of one task start on the same frame; the middle shows how each one differs.
      const { durationSeconds } = videoShape(findModel(sample.request.modelId), sample.request.params)
      const poster = await capturePoster(blob, durationSeconds / 2)
      await db.transaction('rw', db.videos, db.samples, async () => {
        // Purged while it downloaded: keep nothing. (A soft-deleted sample still keeps its video, for Undo.)
        if (!(await db.samples.get(sample.id))) return
        await db.videos.put({ sampleId: sample.id, blob, poster })
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

/** Finishes copying whatever a reload or a network fault interrupted, while the URLs still live. */
export async function keepPendingVideos(now = Date.now()): Promise<void> {
  const pending = await db.samples.filter((s) => !s.stored && s.urlExpiresAt > now).toArray()
  await Promise.all(pending.map(keepVideo))
}

export const PENDING_RETRY_MS = 30_000

/** Tries the unfinished copies now and every 30 s; returns the function that stops it. */
export function keepVideosUntilStored(): () => void {
  void keepPendingVideos()
  const timer = setInterval(() => void keepPendingVideos(), PENDING_RETRY_MS)
  return () => clearInterval(timer)
}

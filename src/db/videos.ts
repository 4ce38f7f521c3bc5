import { videoFetchUrl } from '../api/gateway-urls'
import { capturePoster } from '../lib/poster'
import { findModel, videoShape } from '../models'
import { db, type SampleRecord } from './db'
import { STORE_FULL, isQuotaError, mayFit, noteCopyKept, noteCopyRefused, refetchAt } from './storage'
import { writeHeldTasks } from './tasks'

const inFlight = new Map<string, Promise<void>>()

/**
 * Copies a sample's video into storage once, before its URL expires; from then on the gallery plays the
 * stored copy. A failure is recorded on the sample and tried again later while the URL lives. A copy the quota
 * refuses is recorded as STORE_FULL (the banner and the card say so) and is fetched again only once it may fit.
 */
export function keepVideo(sample: Pick<SampleRecord, 'id' | 'provider' | 'videoUrl' | 'request'>): Promise<void> {
  const running = inFlight.get(sample.id)
  if (running) return running
  let bytes = 0
  const job = (async () => {
    try {
      // Already copied (another tab, or a note that failed after the copy): the sample says so, read and written together.
      const known = await db.transaction('rw', db.videos, db.samples, async () => {
        if (!(await db.videos.get(sample.id))) return false
        await db.samples.update(sample.id, { stored: true, storeError: undefined, offloadedAt: undefined })
        return true
      })
      if (known) return noteCopyKept(sample.id)
      if (!(await mayFit(sample.id))) throw new DOMException('Still no room for this video.', 'QuotaExceededError')
      const response = await fetch(new URL(videoFetchUrl(sample.provider, sample.videoUrl), globalThis.location.href))
      if (!response.ok) throw new Error(`the video URL answered ${response.status}`)
      const blob = await response.blob()
      bytes = blob.size
      // Samples of one task start on the same frame; the middle shows how each one differs.
      const { durationSeconds } = videoShape(findModel(sample.request.modelId), sample.request.params)
      const poster = await capturePoster(blob, durationSeconds / 2)
      bytes += poster?.size ?? 0
      // The copy and the sample's "stored" in one transaction: a sample never says stored without its copy.
      await db.transaction('rw', db.videos, db.samples, async () => {
        // Purged while it downloaded: keep nothing. (A soft-deleted sample still keeps its video, for Undo.)
        if (!(await db.samples.get(sample.id))) return
        await db.videos.put({ sampleId: sample.id, blob, poster })
        await db.samples.update(sample.id, { stored: true, storeError: undefined, offloadedAt: undefined })
      })
      noteCopyKept(sample.id)
    } catch (e) {
      const full = isQuotaError(e)
      if (full) noteCopyRefused(sample.id, bytes)
      // Even this small note may be refused when the disk is full: the banner then knows it from memory.
      await db.samples.update(sample.id, { storeError: full ? STORE_FULL : e instanceof Error ? e.message : String(e) }).catch(() => {})
    } finally {
      inFlight.delete(sample.id)
    }
  })()
  inFlight.set(sample.id, job)
  return job
}

/**
 * Finishes copying whatever a reload, a network fault or a full disk interrupted, while the URLs still live. A copy
 * dropped to free space waits until half-way through its URL's life (refetchAt), unless kept on demand.
 */
export async function keepPendingVideos(now = Date.now()): Promise<void> {
  const pending = await db.samples
    .filter((s) => !s.stored && s.urlExpiresAt > now && !(s.offloadedAt !== undefined && now < refetchAt(s)))
    .toArray()
  await Promise.all(pending.map(keepVideo))
}

/** Every write the quota held back, tried again: held task ids first (small), then the video copies. */
export async function retryHeldWrites(): Promise<void> {
  await writeHeldTasks().catch(() => {})
  await keepPendingVideos()
}

export const PENDING_RETRY_MS = 30_000

/** Tries the unfinished copies (and held task ids) now and every 30 s; returns the function that stops it. */
export function keepVideosUntilStored(): () => void {
  void retryHeldWrites()
  const timer = setInterval(() => void retryHeldWrites(), PENDING_RETRY_MS)
  return () => clearInterval(timer)
}

/** Keep on device: copies these samples' videos now (copies dropped to free space); returns the ones still not kept. */
export async function keepOnDevice(samples: readonly SampleRecord[]): Promise<SampleRecord[]> {
  await Promise.all(samples.map(keepVideo))
  return (await db.samples.bulkGet(samples.map((s) => s.id))).filter((s): s is SampleRecord => s !== undefined && !s.stored)
}

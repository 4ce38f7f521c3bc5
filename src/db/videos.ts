import { getTaskResult } from '../api/client'
import { connectionFor } from '../api/connection-store'
import { isOnline, subscribeConnectivity } from '../api/connectivity'
import { isApiError } from '../api/errors'
import { videoFetchUrl } from '../api/gateway-urls'
import { capturePoster } from '../lib/poster'
import { findModel, videoShape } from '../models'
import { db, type SampleRecord } from './db'
import { STORE_FULL, isQuotaError, mayFit, noteCopyKept, noteCopyRefused, refetchAt } from './storage'
import { linkExpiresAt, writeHeldTasks } from './tasks'

const inFlight = new Map<string, Promise<void>>()

type KeptSample = Pick<SampleRecord, 'id' | 'provider' | 'videoUrl' | 'urlExpiresAt' | 'taskRecordId' | 'index' | 'request'>

/** The storeError of a jiekou video whose task result no longer gives a link: trying again on a timer cannot help. */
export const LINK_GONE = 'The provider no longer has this video.'

/**
 * A fresh link for a jiekou sample, from its task result: the gateway's relay only passes links it has seen in a task
 * result, and forgets them when it restarts (it then answers 404), and the provider's links expire. The sample keeps
 * the new link and its end. Undefined when the result has no such video any more.
 */
async function freshLink(sample: KeptSample): Promise<string | undefined> {
  const task = await db.tasks.get(sample.taskRecordId)
  const taskId = task?.taskId ?? sample.taskRecordId.slice(sample.taskRecordId.indexOf(':') + 1)
  let result
  try {
    result = await getTaskResult(connectionFor('jiekou'), taskId)
  } catch (e) {
    // Busy or offline: the next try asks again. The provider forgot the task (404, TASK_NOT_FOUND): no link will come.
    if (isApiError(e) && e.kind === 'http' && (e.status === 404 || e.reason === 'TASK_NOT_FOUND')) return undefined
    throw e
  }
  const video = result.task.status === 'TASK_STATUS_SUCCEED' ? result.videos[sample.index] : undefined
  if (!video) return undefined
  await db.samples.update(sample.id, { videoUrl: video.video_url, urlExpiresAt: linkExpiresAt(video, Date.now()) })
  return video.video_url
}

/** The video's bytes: a jiekou link the relay forgot (404) or that expired is asked for again once, from its task. */
async function fetchVideo(sample: KeptSample): Promise<Response> {
  const get = (url: string) => fetch(new URL(videoFetchUrl(sample.provider, url), globalThis.location.href))
  const renewable = sample.provider === 'jiekou'
  let response = renewable && sample.urlExpiresAt <= Date.now() ? undefined : await get(sample.videoUrl)
  if (renewable && (!response || response.status === 404)) {
    void response?.body?.cancel()
    const url = await freshLink(sample)
    if (url === undefined) throw new Error(LINK_GONE)
    response = await get(url)
  }
  if (!response?.ok) throw new Error(`the video URL answered ${response?.status}`)
  return response
}

/**
 * Copies a sample's video into storage once, before its URL expires; from then on the gallery plays the
 * stored copy. A failure is recorded on the sample and tried again later while the URL lives. A copy the quota
 * refuses is recorded as STORE_FULL (the banner and the card say so) and is fetched again only once it may fit.
 */
export function keepVideo(sample: KeptSample): Promise<void> {
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
      const response = await fetchVideo(sample)
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
 * Finishes copying whatever a reload, a network fault or a full disk interrupted, while the URLs still live (a jiekou
 * link also after, as its task result gives a new one). A copy dropped to free space waits until half-way through its
 * URL's life (refetchAt), unless kept on demand. Offline, nothing is fetched: keepVideosUntilStored goes on once back.
 */
export async function keepPendingVideos(now = Date.now()): Promise<void> {
  if (!isOnline()) return
  const renewable = (s: SampleRecord) => s.provider === 'jiekou' && s.storeError !== LINK_GONE
  const pending = await db.samples
    .filter((s) => !s.stored && (s.urlExpiresAt > now || renewable(s)) && !(s.offloadedAt !== undefined && now < refetchAt(s)))
    .toArray()
  await Promise.all(pending.map(keepVideo))
}

/** Every write the quota held back, tried again: held task ids first (small), then the video copies. */
export async function retryHeldWrites(): Promise<void> {
  await writeHeldTasks().catch(() => {})
  await keepPendingVideos()
}

export const PENDING_RETRY_MS = 30_000

/**
 * Tries the unfinished copies (and held task ids) now, every 30 s, and as soon as the network is back; returns the
 * function that stops it. Offline, the ticks fetch nothing (keepPendingVideos returns at once).
 */
export function keepVideosUntilStored(): () => void {
  void retryHeldWrites()
  const timer = setInterval(() => void retryHeldWrites(), PENDING_RETRY_MS)
  let online = isOnline()
  const stop = subscribeConnectivity(() => {
    const was = online
    online = isOnline()
    if (online && !was) void retryHeldWrites()
  })
  return () => {
    clearInterval(timer)
    stop()
  }
}

/** Keep on device: copies these samples' videos now (copies dropped to free space); returns the ones still not kept. */
export async function keepOnDevice(samples: readonly SampleRecord[]): Promise<SampleRecord[]> {
  await Promise.all(samples.map(keepVideo))
  return (await db.samples.bulkGet(samples.map((s) => s.id))).filter((s): s is SampleRecord => s !== undefined && !s.stored)
}

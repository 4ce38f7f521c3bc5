import { createReadStream, createWriteStream } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type PgBoss from 'pg-boss'
import { fetchWithTimeout } from '../../fetch-with-timeout.ts'
import type { Logger } from '../../logger.ts'
import type { BlobStore } from '../blobs/blob-store.ts'
import type { LibraryKysely } from '../db/db.ts'
import type { TaskRow } from '../db/schema.ts'
import type { ChangeFeed } from '../events.ts'
import { sendArchive } from './jobs.ts'
import { makePoster } from './poster.ts'
import type { ProviderClient } from './provider.ts'

/*
 * What both archives share (archive.ts for a task the runner followed, archive-imported.ts for samples brought in
 * without their copy): a video fetched from its link into the blob store, with a still for its card, and the pause
 * while the disk is full.
 */

export interface ArchiveDeps {
  db: LibraryKysely
  boss: PgBoss
  blobs: BlobStore
  feed: ChangeFeed
  logger: Logger
  provider: (id: string) => ProviderClient
  /** Idle limit of a download (the link stops sending). */
  downloadTimeoutMs: number
  /** Told when the disk fills up and when there is space again (Settings › Storage). */
  onDiskFull?: (full: boolean) => void
}

export const DISK_FULL_RETRY_MS = 30_000
const EXPIRED = new Set([401, 403, 404, 410])

/** The link no longer serves the video (the provider's time for it ran out). */
export class LinkExpired extends Error {}

async function download(url: string, to: string, timeoutMs: number): Promise<void> {
  const res = await fetchWithTimeout(url, {}, { timeoutMs, limit: 'idle' })
  if (EXPIRED.has(res.status)) {
    await res.body?.cancel()
    throw new LinkExpired(`the video link answered ${res.status}`)
  }
  if (!res.ok || !res.body) throw new Error(`the video link answered ${res.status}`)
  await pipeline(Readable.fromWeb(res.body as never), createWriteStream(to))
}

export const durationOf = (task: TaskRow) => {
  const params = (task.request as { params?: Record<string, unknown> }).params ?? {}
  const d = Number(params.duration_seconds ?? params.duration ?? 8)
  return Number.isFinite(d) && d > 0 ? d : 8
}

export interface KeptVideo {
  video: string
  size: number
  poster: string | undefined
  posterSize: number
}

/** The video at `url` (through the file `via`) in the blob store, with its still. Throws LinkExpired, BlobStoreFull. */
export async function keepVideo(deps: ArchiveDeps, url: string, via: string, durationSeconds: number): Promise<KeptVideo> {
  await download(url, via, deps.downloadTimeoutMs)
  const video = await deps.blobs.put(createReadStream(via))
  const stillBytes = await makePoster(via, durationSeconds)
  const still = stillBytes ? await deps.blobs.put(stillBytes) : undefined
  return { video: video.sha256, size: video.size, poster: still?.sha256, posterSize: still?.size ?? 0 }
}

/** The disk is full: the archive waits, tries again every 30 s, and goes on by itself once there is space. */
export async function pauseForFullDisk(deps: ArchiveDeps, taskRecordId: string): Promise<void> {
  deps.onDiskFull?.(true)
  deps.logger.warn('runner.disk_full', { task: taskRecordId, detail: 'archiving paused; tried again every 30 s' })
  await sendArchive(deps.boss, taskRecordId, new Date(Date.now() + DISK_FULL_RETRY_MS))
}

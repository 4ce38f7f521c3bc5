import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { sql } from 'kysely'
import type PgBoss from 'pg-boss'
import type { TaskResult } from '../../../src/api/schemas.ts'
import { fetchWithTimeout } from '../../fetch-with-timeout.ts'
import type { Logger } from '../../logger.ts'
import { BlobStoreFull, type BlobStore } from '../blobs/blob-store.ts'
import { jsonb, type LibraryKysely } from '../db/db.ts'
import type { TaskRow } from '../db/schema.ts'
import type { ChangeFeed } from '../events.ts'
import { sendArchive } from './jobs.ts'
import { makePoster } from './poster.ts'
import type { ProviderClient } from './provider.ts'

/*
 * The archive: as soon as a task succeeds, each of its videos is copied into the blob store (by SHA-256) with a still
 * for its card, long before the provider's link expires, and its samples are written in one transaction with the
 * task's end. A link that has already expired is renewed from a fresh task result once. A download cut short leaves
 * nothing under a name (blobs are renamed into place only when whole), and the job runs again. A full disk pauses the
 * archive: it tries again every 30 s and goes on by itself once there is space.
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

class LinkExpired extends Error {}

async function download(url: string, to: string, timeoutMs: number): Promise<void> {
  const res = await fetchWithTimeout(url, {}, { timeoutMs, limit: 'idle' })
  if (EXPIRED.has(res.status)) {
    await res.body?.cancel()
    throw new LinkExpired(`the video link answered ${res.status}`)
  }
  if (!res.ok || !res.body) throw new Error(`the video link answered ${res.status}`)
  await pipeline(Readable.fromWeb(res.body as never), createWriteStream(to))
}

const durationOf = (task: TaskRow) => {
  const params = (task.request as { params?: Record<string, unknown> }).params ?? {}
  const d = Number(params.duration_seconds ?? params.duration ?? 8)
  return Number.isFinite(d) && d > 0 ? d : 8
}

export async function runArchive(deps: ArchiveDeps, taskRecordId: string): Promise<void> {
  const { db, blobs } = deps
  const task = await db.selectFrom('tasks').selectAll().where('id', '=', taskRecordId).executeTakeFirst()
  if (!task || task.archived_at || task.status !== 'TASK_STATUS_SUCCEED') return
  let result = task.result as TaskResult
  const work = await mkdtemp(join(tmpdir(), 'veo-archive-'))
  const kept: {
    index: number
    url: string
    expiresAt: Date
    video: string
    size: number
    poster: string | undefined
    posterSize: number
  }[] = []
  try {
    let renewed = false
    for (let index = 0; index < result.videos.length; index++) {
      const file = join(work, `${index}.mp4`)
      try {
        await download(result.videos[index]!.video_url, file, deps.downloadTimeoutMs)
      } catch (err) {
        if (!(err instanceof LinkExpired) || renewed) throw err
        // Expired before it was copied: ask the provider for the task once more, for fresh links.
        renewed = true
        result = await deps.provider(task.provider).taskResult(task.task_id)
        index--
        continue
      }
      const video = await blobs.put(createReadStream(file))
      const stillBytes = await makePoster(file, durationOf(task))
      const still = stillBytes ? await blobs.put(stillBytes) : undefined
      const ttl = Number(result.videos[index]!.video_url_ttl) || 3600
      kept.push({
        index,
        url: result.videos[index]!.video_url,
        expiresAt: new Date(Date.now() + ttl * 1000),
        video: video.sha256,
        size: video.size,
        poster: still?.sha256,
        posterSize: still?.size ?? 0,
      })
    }
    deps.onDiskFull?.(false)
  } catch (err) {
    if (err instanceof BlobStoreFull) {
      deps.onDiskFull?.(true)
      deps.logger.warn('runner.disk_full', { task: task.id, detail: 'archiving paused; tried again every 30 s' })
      await sendArchive(deps.boss, task.id, new Date(Date.now() + DISK_FULL_RETRY_MS))
      return
    }
    throw err
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  // One moment for every sample of the task, so they sort together (and by index) in the gallery.
  const archivedAt = new Date()
  const events = await db.transaction().execute(async (trx) => {
    for (const k of kept) {
      await trx
        .insertInto('blobs')
        .values({ sha256: k.video, size: k.size, mime: 'video/mp4' })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute()
      if (k.poster)
        await trx
          .insertInto('blobs')
          .values({ sha256: k.poster, size: k.posterSize, mime: 'image/jpeg' })
          .onConflict((oc) => oc.column('sha256').doNothing())
          .execute()
      await trx
        .insertInto('samples')
        .values({
          workspace_id: task.workspace_id,
          id: `${task.id}#${k.index}`,
          task_record_id: task.id,
          provider: task.provider,
          idx: k.index,
          request: jsonb(task.request),
          seed: result.extra.seed ?? task.seed,
          created_at: archivedAt,
          video_url: k.url,
          url_expires_at: k.expiresAt,
          video_sha256: k.video,
          poster_sha256: k.poster ?? null,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute()
    }
    await trx
      .updateTable('tasks')
      .set({
        archived_at: sql`now()`,
        finished_at: sql`coalesce(finished_at, now())`,
        video_count: kept.length,
        result: jsonb(result),
        updated_at: sql`now()`,
      })
      .where('id', '=', task.id)
      .execute()
    return [
      await deps.feed.record(
        trx,
        task.workspace_id,
        'samples',
        kept.map((k) => `${task.id}#${k.index}`),
      ),
      await deps.feed.record(trx, task.workspace_id, 'tasks', [task.id]),
    ]
  })
  deps.feed.announce(...events)
  deps.logger.info('runner.archived', { task: task.id, videos: kept.length })
}

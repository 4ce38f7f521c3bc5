import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import type { TaskResult } from '../../../src/api/schemas.ts'
import { BlobStoreFull } from '../blobs/blob-store.ts'
import { jsonb } from '../db/db.ts'
import { recordBlob } from '../db/queries/blobs.ts'
import { archiveImported } from './archive-imported.ts'
import { durationOf, keepVideo, LinkExpired, pauseForFullDisk, type ArchiveDeps, type KeptVideo } from './video-copy.ts'

/*
 * The archive: as soon as a task succeeds, each of its videos is copied into the blob store (by SHA-256) with a still
 * for its card, long before the provider's link expires, and its samples are written in one transaction with the
 * task's end. A link that has already expired is renewed from a fresh task result once. A download cut short leaves
 * nothing under a name (blobs are renamed into place only when whole), and the job runs again. A full disk pauses the
 * archive: it tries again every 30 s and goes on by itself once there is space.
 */

export { DISK_FULL_RETRY_MS, type ArchiveDeps } from './video-copy.ts'

export async function runArchive(deps: ArchiveDeps, taskRecordId: string): Promise<void> {
  const { db } = deps
  const task = await db.selectFrom('tasks').selectAll().where('id', '=', taskRecordId).executeTakeFirst()
  if (!task || task.archived_at || task.status !== 'TASK_STATUS_SUCCEED') return
  // No provider result kept: an imported success, whose samples came with their links (POST /import).
  if (task.result === null) return archiveImported(deps, task)
  let result = task.result as TaskResult
  const work = await mkdtemp(join(tmpdir(), 'veo-archive-'))
  const kept: (KeptVideo & { index: number; url: string; expiresAt: Date })[] = []
  try {
    let renewed = false
    for (let index = 0; index < result.videos.length; index++) {
      let copy: KeptVideo
      try {
        copy = await keepVideo(deps, result.videos[index]!.video_url, join(work, `${index}.mp4`), durationOf(task))
      } catch (err) {
        if (!(err instanceof LinkExpired) || renewed) throw err
        // Expired before it was copied: ask the provider for the task once more, for fresh links.
        renewed = true
        result = await deps.provider(task.provider).taskResult(task.task_id)
        index--
        continue
      }
      const ttl = Number(result.videos[index]!.video_url_ttl) || 3600
      kept.push({ ...copy, index, url: result.videos[index]!.video_url, expiresAt: new Date(Date.now() + ttl * 1000) })
    }
    deps.onDiskFull?.(false)
  } catch (err) {
    if (err instanceof BlobStoreFull) return pauseForFullDisk(deps, task.id)
    throw err
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  // One moment for every sample of the task, so they sort together (and by index) in the gallery.
  const archivedAt = new Date()
  const events = await db.transaction().execute(async (trx) => {
    for (const k of kept) {
      await recordBlob(trx, { sha256: k.video, size: k.size, mime: 'video/mp4' })
      if (k.poster) await recordBlob(trx, { sha256: k.poster, size: k.posterSize, mime: 'image/jpeg' })
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

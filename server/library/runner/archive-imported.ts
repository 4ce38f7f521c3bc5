import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BlobStoreFull } from '../blobs/blob-store.ts'
import { recordBlob } from '../db/queries/blobs.ts'
import { closeArchive, keepSampleCopy, noteSampleCopyFailed, unkeptSamples } from '../db/queries/sample-copies.ts'
import type { TaskRow } from '../db/schema.ts'
import { durationOf, keepVideo, LinkExpired, pauseForFullDisk, type ArchiveDeps, type KeptVideo } from './video-copy.ts'

/*
 * The archive of a success brought in by an import (POST /import): its samples came with the provider's links but
 * without a stored copy (the browser had not kept one). Each video is copied into the blob store from its link while
 * the link lives, with a still for its card, and the sample then plays from the gateway. A link already gone is noted
 * on its sample (there is no provider result to renew it from); the job runs again after a passing fault.
 */

const EXPIRED_WORDS = "The video's link had expired before the gateway could keep a copy of it."

export async function archiveImported(deps: ArchiveDeps, task: TaskRow): Promise<void> {
  const { db } = deps
  const samples = await unkeptSamples(db, task.id)
  const work = await mkdtemp(join(tmpdir(), 'veo-archive-'))
  const kept: (KeptVideo & { id: string })[] = []
  const expired: string[] = []
  try {
    for (const s of samples) {
      if (s.url_expires_at.getTime() <= Date.now()) {
        expired.push(s.id)
        continue
      }
      try {
        kept.push({ id: s.id, ...(await keepVideo(deps, s.video_url, join(work, `${s.idx}.mp4`), durationOf(task))) })
      } catch (err) {
        if (!(err instanceof LinkExpired)) throw err
        expired.push(s.id)
      }
    }
    deps.onDiskFull?.(false)
  } catch (err) {
    if (err instanceof BlobStoreFull) return pauseForFullDisk(deps, task.id)
    throw err
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  const events = await db.transaction().execute(async (trx) => {
    for (const k of kept) {
      await recordBlob(trx, { sha256: k.video, size: k.size, mime: 'video/mp4' })
      if (k.poster) await recordBlob(trx, { sha256: k.poster, size: k.posterSize, mime: 'image/jpeg' })
      await keepSampleCopy(trx, k.id, k)
    }
    for (const id of expired) await noteSampleCopyFailed(trx, id, EXPIRED_WORDS)
    await closeArchive(trx, task.id)
    const changed = [...kept.map((k) => k.id), ...expired]
    return [
      ...(changed.length ? [await deps.feed.record(trx, task.workspace_id, 'samples', changed)] : []),
      await deps.feed.record(trx, task.workspace_id, 'tasks', [task.id]),
    ]
  })
  deps.feed.announce(...events)
  deps.logger.info('runner.archived_imported', { task: task.id, videos: kept.length, expired: expired.length })
}

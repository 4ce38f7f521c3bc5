import { sql } from 'kysely'
import type { LibraryKysely } from '../db.ts'
import type { SampleRow } from '../schema.ts'

/* Copies of imported samples' videos, made by the runner's archive (runner/archive-imported.ts). */

/** A task's samples still without a stored copy (deleted ones aside: the purge takes them). */
export function unkeptSamples(db: LibraryKysely, taskRecordId: string): Promise<SampleRow[]> {
  return db
    .selectFrom('samples')
    .selectAll()
    .where('task_record_id', '=', taskRecordId)
    .where('video_sha256', 'is', null)
    .where('deleted_at', 'is', null)
    .orderBy('idx')
    .execute()
}

/** The copy is kept: the sample plays from the gateway from now on. */
export async function keepSampleCopy(db: LibraryKysely, id: string, copy: { video: string; poster: string | undefined }): Promise<void> {
  await db
    .updateTable('samples')
    .set({ video_sha256: copy.video, poster_sha256: copy.poster ?? null, store_error: null })
    .where('id', '=', id)
    .where('video_sha256', 'is', null)
    .execute()
}

/** Why no copy could be made, for the sample's card. */
export async function noteSampleCopyFailed(db: LibraryKysely, id: string, words: string): Promise<void> {
  await db.updateTable('samples').set({ store_error: words }).where('id', '=', id).where('video_sha256', 'is', null).execute()
}

/** The task's archive is done (whatever could be kept, was). */
export async function closeArchive(db: LibraryKysely, taskRecordId: string): Promise<void> {
  await db
    .updateTable('tasks')
    .set({ archived_at: sql`now()`, updated_at: sql`now()` })
    .where('id', '=', taskRecordId)
    .execute()
}

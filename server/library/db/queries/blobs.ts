import type { LibraryKysely } from '../db.ts'

/*
 * The list of files the blob store holds (`blobs`): shared by every workspace, since a file is kept once whoever
 * brought it. A workspace reads a file only through its own samples and frames (files.ts).
 */

/** Lists a file the blob store now holds; `created` is false when it was listed already (its first type stays). */
export async function recordBlob(db: LibraryKysely, blob: { sha256: string; size: number; mime: string }): Promise<{ created: boolean }> {
  const row = await db
    .insertInto('blobs')
    .values(blob)
    .onConflict((oc) => oc.column('sha256').doNothing())
    .returning('sha256')
    .executeTakeFirst()
  return { created: row !== undefined }
}

/** Which of these files are listed. */
export async function heldBlobs(db: LibraryKysely, shas: readonly string[]): Promise<string[]> {
  if (shas.length === 0) return []
  const rows = await db
    .selectFrom('blobs')
    .select('sha256')
    .where('sha256', 'in', [...new Set(shas)])
    .execute()
  return rows.map((r) => r.sha256)
}

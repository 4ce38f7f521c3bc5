import type { LibraryKysely } from '../db.ts'
import type { FrameRow } from '../schema.ts'
import { recordBlob } from './blobs.ts'

/* Frames the designer brought in, kept once per workspace by the SHA-256 of their bytes. */

export function findFrame(db: LibraryKysely, ws: string, hash: string): Promise<FrameRow | undefined> {
  return db.selectFrom('frames').selectAll().where('workspace_id', '=', ws).where('hash', '=', hash).executeTakeFirst()
}

export interface NewFrame {
  hash: string
  mime: string
  width: number
  height: number
  bytes: number
  name: string
}

/**
 * Records a frame whose bytes the blob store holds (and the blob itself). A frame already recorded keeps its first
 * record: `created` says whether this call made it.
 */
export async function saveFrame(db: LibraryKysely, ws: string, frame: NewFrame, at: Date): Promise<{ row: FrameRow; created: boolean }> {
  await recordBlob(db, { sha256: frame.hash, size: frame.bytes, mime: frame.mime })
  const inserted = await db
    .insertInto('frames')
    .values({ workspace_id: ws, ...frame, thumb_sha256: null, added_at: at })
    .onConflict((oc) => oc.columns(['workspace_id', 'hash']).doNothing())
    .returningAll()
    .executeTakeFirst()
  if (inserted) return { row: inserted, created: true }
  const held = await findFrame(db, ws, frame.hash)
  if (!held) throw new Error(`frame ${frame.hash} was neither inserted nor found`)
  return { row: held, created: false }
}

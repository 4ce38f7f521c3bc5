import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import type { LibraryKysely } from '../db.ts'
import type { LibraryTables } from '../schema.ts'

/*
 * The stored files a workspace may read, and how much they take. `blobs` is shared (a file is kept once, whoever
 * brought it), so it has no workspace of its own: a workspace sees a blob only through its own samples and frames.
 */

/** The kinds of file Settings › Storage names. */
export type FileKind = 'videos' | 'posters' | 'frames'

/** Whether a blob is a file of `kind` that the workspace refers to. */
function isFileOf(eb: ExpressionBuilder<LibraryTables, 'blobs'>, ws: string, kind: FileKind): Expression<SqlBool> {
  if (kind === 'frames')
    return eb.or([
      eb('blobs.sha256', 'in', eb.selectFrom('frames').select('frames.hash').where('frames.workspace_id', '=', ws)),
      eb(
        'blobs.sha256',
        'in',
        eb
          .selectFrom('frames')
          .select('frames.thumb_sha256')
          .where('frames.workspace_id', '=', ws)
          .where('frames.thumb_sha256', 'is not', null),
      ),
    ])
  const column = kind === 'videos' ? 'samples.video_sha256' : 'samples.poster_sha256'
  return eb(
    'blobs.sha256',
    'in',
    eb.selectFrom('samples').select(column).where('samples.workspace_id', '=', ws).where(column, 'is not', null),
  )
}

function referencedBy(eb: ExpressionBuilder<LibraryTables, 'blobs'>, ws: string, sha: string): Expression<SqlBool> {
  return eb.or([
    eb.exists(
      eb
        .selectFrom('samples')
        .select(sql`1`.as('one'))
        .where('samples.workspace_id', '=', ws)
        .where((s) => s.or([s('samples.video_sha256', '=', sha), s('samples.poster_sha256', '=', sha)])),
    ),
    eb.exists(
      eb
        .selectFrom('frames')
        .select(sql`1`.as('one'))
        .where('frames.workspace_id', '=', ws)
        .where((f) => f.or([f('frames.hash', '=', sha), f('frames.thumb_sha256', '=', sha)])),
    ),
  ])
}

/** A stored file the workspace refers to (a video, a poster, a frame or its thumbnail); undefined otherwise. */
export function servableBlob(db: LibraryKysely, ws: string, sha: string): Promise<{ size: number; mime: string } | undefined> {
  return db
    .selectFrom('blobs')
    .select(['blobs.size', 'blobs.mime'])
    .where('blobs.sha256', '=', sha)
    .where((eb) => referencedBy(eb, ws, sha))
    .executeTakeFirst()
}

/** How many files of `kind` the workspace keeps, and their bytes (a file used twice counts once). */
export async function fileUsage(db: LibraryKysely, ws: string, kind: FileKind): Promise<{ count: number; bytes: number }> {
  const row = await db
    .selectFrom('blobs')
    .select((eb) => [
      eb.fn.countAll<number>().as('count'),
      sql<number>`cast(coalesce(sum(${sql.ref('blobs.size')}), 0) as int8)`.as('bytes'),
    ])
    .where((eb) => isFileOf(eb, ws, kind))
    .executeTakeFirstOrThrow()
  return { count: Number(row.count), bytes: Number(row.bytes) }
}

/** The whole database's size on disk (the embedded one's folder, or the PostgreSQL database). */
export async function databaseBytes(db: LibraryKysely): Promise<number> {
  const { rows } = await sql<{ bytes: number }>`select pg_database_size(current_database()) as bytes`.execute(db)
  return Number(rows[0]?.bytes ?? 0)
}

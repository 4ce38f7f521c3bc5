import { sql, type InsertObject } from 'kysely'
import type { LibraryKysely } from '../db.ts'
import type { LibraryTables } from '../schema.ts'

/*
 * Records brought in from elsewhere (the studio's browser storage, moving to the gateway): written only where their
 * key is free, so an import sent again, or resumed after a cut, adds nothing twice. Each writer answers the keys it
 * wrote; the caller tells present from taken.
 */

/** Rows per INSERT: far below PostgreSQL's 65,535 parameters for the widest table. */
const CHUNK = 500

async function inChunks<R>(rows: readonly R[], write: (chunk: R[]) => Promise<string[]>): Promise<string[]> {
  const written: string[] = []
  for (let i = 0; i < rows.length; i += CHUNK) written.push(...(await write(rows.slice(i, i + CHUNK))))
  return written
}

export const insertTasks = (db: LibraryKysely, rows: readonly InsertObject<LibraryTables, 'tasks'>[]) =>
  inChunks(rows, async (chunk) =>
    (
      await db
        .insertInto('tasks')
        .values(chunk)
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .execute()
    ).map((r) => r.id),
  )

export const insertSamples = (db: LibraryKysely, rows: readonly InsertObject<LibraryTables, 'samples'>[]) =>
  inChunks(rows, async (chunk) =>
    (
      await db
        .insertInto('samples')
        .values(chunk)
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .execute()
    ).map((r) => r.id),
  )

export const insertExperiments = (db: LibraryKysely, rows: readonly InsertObject<LibraryTables, 'experiments'>[]) =>
  inChunks(rows, async (chunk) =>
    (
      await db
        .insertInto('experiments')
        .values(chunk)
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .execute()
    ).map((r) => r.id),
  )

export const insertPrompts = (db: LibraryKysely, rows: readonly InsertObject<LibraryTables, 'prompts'>[]) =>
  inChunks(rows, async (chunk) =>
    (
      await db
        .insertInto('prompts')
        .values(chunk)
        .onConflict((oc) => oc.columns(['workspace_id', 'text']).doNothing())
        .returning('text')
        .execute()
    ).map((r) => r.text),
  )

export const insertFrames = (db: LibraryKysely, rows: readonly InsertObject<LibraryTables, 'frames'>[]) =>
  inChunks(rows, async (chunk) =>
    (
      await db
        .insertInto('frames')
        .values(chunk)
        .onConflict((oc) => oc.columns(['workspace_id', 'hash']).doNothing())
        .returning('hash')
        .execute()
    ).map((r) => r.hash),
  )

export type ImportKind = 'tasks' | 'samples' | 'experiments' | 'prompts' | 'frames'

/** Which of these keys (ids; texts for prompts, hashes for frames) the workspace holds, deleted or not. */
export async function heldKeys(db: LibraryKysely, ws: string, kind: ImportKind, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return []
  const held: string[] = []
  for (let i = 0; i < keys.length; i += CHUNK) {
    const chunk = keys.slice(i, i + CHUNK)
    const rows =
      kind === 'prompts'
        ? (await db.selectFrom('prompts').select('text').where('workspace_id', '=', ws).where('text', 'in', chunk).execute()).map(
            (r) => r.text,
          )
        : kind === 'frames'
          ? (await db.selectFrom('frames').select('hash').where('workspace_id', '=', ws).where('hash', 'in', chunk).execute()).map(
              (r) => r.hash,
            )
          : (await db.selectFrom(kind).select('id').where('workspace_id', '=', ws).where('id', 'in', chunk).execute()).map((r) => r.id)
    held.push(...rows)
  }
  return held
}

/**
 * Succeeded tasks brought in whose videos the gateway must still copy (an imported sample with a live link and no
 * stored copy): their archive is opened again, for the runner's archive job. Only imported ones (no provider result
 * kept): a task the runner followed has its own archive. The ids it opened.
 */
export async function reopenImportedArchives(db: LibraryKysely, ws: string, taskIds: readonly string[]): Promise<string[]> {
  if (taskIds.length === 0) return []
  const rows = await db
    .updateTable('tasks')
    .set({ archived_at: null, updated_at: sql`now()` })
    .where('workspace_id', '=', ws)
    .where('id', 'in', [...taskIds])
    .where('status', '=', 'TASK_STATUS_SUCCEED')
    .where('result', 'is', null)
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

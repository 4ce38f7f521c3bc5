import type { InsertObject } from 'kysely'
import type { LibraryKysely } from '../db.ts'
import { jsonb } from '../db.ts'
import type { ExperimentRow, LibraryTables } from '../schema.ts'
import { after, epochMicros, toPage, type Keyset, type Page } from './keyset.ts'

/* Sweeps and their boards, scoped by workspace; a deleted one (still undoable) is out of every read. */

export type ExperimentListRow = ExperimentRow & { at_us: string }

export async function listExperiments(
  db: LibraryKysely,
  ws: string,
  page: { limit: number; after?: Keyset | undefined },
): Promise<Page<ExperimentListRow>> {
  const rows = await db
    .selectFrom('experiments')
    .selectAll('experiments')
    .select(epochMicros('experiments.created_at').as('at_us'))
    .where('experiments.workspace_id', '=', ws)
    .where('experiments.deleted_at', 'is', null)
    .$if(page.after !== undefined, (q) => q.where(after('experiments.created_at', 'experiments.id', page.after!)))
    .orderBy('experiments.created_at', 'desc')
    .orderBy('experiments.id', 'desc')
    .limit(page.limit + 1)
    .execute()
  return toPage(rows, page.limit, (r) => r.id)
}

/** An experiment that is not deleted; `forUpdate` holds its row until the transaction ends (a read-merge-write). */
export function findExperiment(
  db: LibraryKysely,
  ws: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<ExperimentRow | undefined> {
  return db
    .selectFrom('experiments')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .$if(options.forUpdate === true, (q) => q.forUpdate())
    .executeTakeFirst()
}

export function updateExperiment(
  db: LibraryKysely,
  ws: string,
  id: string,
  change: { name?: string | undefined; marks?: Record<string, unknown> | undefined },
): Promise<ExperimentRow | undefined> {
  return db
    .updateTable('experiments')
    .set({
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.marks !== undefined ? { marks: jsonb(change.marks) } : {}),
    })
    .where('workspace_id', '=', ws)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst()
}

/** An experiment in any state, deleted or not (create, delete and restore decide what each means). */
export function findAnyExperiment(db: LibraryKysely, ws: string, id: string): Promise<ExperimentRow | undefined> {
  return db.selectFrom('experiments').selectAll().where('workspace_id', '=', ws).where('id', '=', id).executeTakeFirst()
}

/** Writes an experiment unless its id is taken (by this workspace or another); undefined when it was. */
export function insertExperiment(db: LibraryKysely, row: InsertObject<LibraryTables, 'experiments'>): Promise<ExperimentRow | undefined> {
  return db
    .insertInto('experiments')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst()
}

/** Deletes softly, stamped `at`; undefined when it is not there or deleted already. */
export function softDeleteExperiment(db: LibraryKysely, ws: string, id: string, at: Date): Promise<ExperimentRow | undefined> {
  return db
    .updateTable('experiments')
    .set({ deleted_at: at })
    .where('workspace_id', '=', ws)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst()
}

/** Undo of a delete; undefined when it is not deleted (or no longer there). */
export function restoreExperiment(db: LibraryKysely, ws: string, id: string): Promise<ExperimentRow | undefined> {
  return db
    .updateTable('experiments')
    .set({ deleted_at: null })
    .where('workspace_id', '=', ws)
    .where('id', '=', id)
    .where('deleted_at', 'is not', null)
    .returningAll()
    .executeTakeFirst()
}

import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import type { LibraryKysely } from '../db.ts'
import type { LibraryTables, SampleRow } from '../schema.ts'
import { tasksOfDeletedExperiments } from './deleted-experiments.ts'
import { containing } from './text-match.ts'
import { after, epochMicros, toPage, type Keyset, type Page } from './keyset.ts'

/*
 * The gallery's reads and the designer's marks on a sample. Every query is scoped by the workspace the API's guard
 * gave; a deleted sample (still undoable) is out of every read but the restore.
 */

export interface SampleFilters {
  favourite?: boolean | undefined
  modelId?: string | undefined
  provider?: string | undefined
  /** Words of the prompt (case aside), or a seed typed as "123" or "seed 123". */
  text?: string | undefined
  experimentId?: string | undefined
}

export type SampleListRow = SampleRow & { at_us: string }

/** "123", "seed 123", "seed: 123", "seed #123": a seed, matched whole (the gallery's search field, sample-filter.ts). */
const SEED_QUERY = /^(?:seed\s*[:#]?\s*)?(\d+)$/i

function visibleSamples(eb: ExpressionBuilder<LibraryTables, 'samples'>, ws: string, f: SampleFilters): Expression<SqlBool> {
  const where: Expression<SqlBool>[] = [
    eb('samples.workspace_id', '=', ws),
    eb('samples.deleted_at', 'is', null),
    eb('samples.task_record_id', 'not in', tasksOfDeletedExperiments(eb, ws)),
  ]
  if (f.favourite !== undefined) where.push(eb('samples.favourite', '=', f.favourite))
  if (f.provider !== undefined) where.push(eb('samples.provider', '=', f.provider))
  if (f.modelId !== undefined) where.push(sql<SqlBool>`${sql.ref('samples.request')}->>'modelId' = ${f.modelId}`)
  if (f.experimentId !== undefined)
    where.push(
      eb(
        'samples.task_record_id',
        'in',
        eb.selectFrom('tasks').select('tasks.id').where('tasks.workspace_id', '=', ws).where('tasks.experiment_id', '=', f.experimentId),
      ),
    )
  const text = f.text?.trim()
  if (text) {
    const prompt = sql<SqlBool>`${sql.ref('samples.request')}->'params'->>'prompt' ilike ${containing(text)}`
    const seed = SEED_QUERY.exec(text)?.[1]
    where.push(seed === undefined ? prompt : eb.or([prompt, eb('samples.seed', '=', seed)]))
  }
  return eb.and(where)
}

/** A page of the gallery, newest first (created_at desc, id desc: the samples_list index). */
export async function listSamples(
  db: LibraryKysely,
  ws: string,
  filters: SampleFilters,
  page: { limit: number; after?: Keyset | undefined },
): Promise<Page<SampleListRow>> {
  const rows = await db
    .selectFrom('samples')
    .selectAll('samples')
    .select(epochMicros('samples.created_at').as('at_us'))
    .where((eb) => visibleSamples(eb, ws, filters))
    .$if(page.after !== undefined, (q) => q.where(after('samples.created_at', 'samples.id', page.after!)))
    .orderBy('samples.created_at', 'desc')
    .orderBy('samples.id', 'desc')
    .limit(page.limit + 1)
    .execute()
  return toPage(rows, page.limit, (r) => r.id)
}

export async function countSamples(db: LibraryKysely, ws: string, filters: SampleFilters): Promise<number> {
  const row = await db
    .selectFrom('samples')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where((eb) => visibleSamples(eb, ws, filters))
    .executeTakeFirstOrThrow()
  return Number(row.count)
}

/** A sample, deleted or not (the caller decides what a deleted one means). */
export function findSample(db: LibraryKysely, ws: string, id: string): Promise<SampleRow | undefined> {
  return db.selectFrom('samples').selectAll().where('workspace_id', '=', ws).where('id', '=', id).executeTakeFirst()
}

/** The samples of these tasks that are not deleted, in the order their tasks made them. */
export function samplesOfTasks(db: LibraryKysely, ws: string, taskIds: readonly string[]): Promise<SampleRow[]> {
  if (taskIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('samples')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('task_record_id', 'in', [...taskIds])
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('task_record_id')
    .orderBy('idx')
    .execute()
}

/** Marks or unmarks a sample that is not deleted; undefined when there is none. */
export function setFavourite(db: LibraryKysely, ws: string, id: string, favourite: boolean): Promise<SampleRow | undefined> {
  return db
    .updateTable('samples')
    .set({ favourite })
    .where('workspace_id', '=', ws)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst()
}

/** Deletes a sample softly, stamped `at`; undefined when it was not there or was deleted already. */
export function softDeleteSample(db: LibraryKysely, ws: string, id: string, at: Date): Promise<SampleRow | undefined> {
  return db
    .updateTable('samples')
    .set({ deleted_at: at })
    .where('workspace_id', '=', ws)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst()
}

/** Undo of a delete; undefined when the sample is not deleted (or no longer there). */
export function restoreSample(db: LibraryKysely, ws: string, id: string): Promise<SampleRow | undefined> {
  return db
    .updateTable('samples')
    .set({ deleted_at: null })
    .where('workspace_id', '=', ws)
    .where('id', '=', id)
    .where('deleted_at', 'is not', null)
    .returningAll()
    .executeTakeFirst()
}

// ---- the selection bar: the same marks on many samples at once ----

/** Marks or unmarks the samples that are there and not deleted; the ones it changed, in no particular order. */
export function setFavourites(db: LibraryKysely, ws: string, ids: readonly string[], favourite: boolean): Promise<SampleRow[]> {
  return db
    .updateTable('samples')
    .set({ favourite })
    .where('workspace_id', '=', ws)
    .where('id', 'in', [...ids])
    .where('deleted_at', 'is', null)
    .returningAll()
    .execute()
}

/** Deletes softly, all with one stamp (one Undo); the ids it deleted (not the missing or already deleted ones). */
export async function softDeleteSamples(db: LibraryKysely, ws: string, ids: readonly string[], at: Date): Promise<string[]> {
  const rows = await db
    .updateTable('samples')
    .set({ deleted_at: at })
    .where('workspace_id', '=', ws)
    .where('id', 'in', [...ids])
    .where('deleted_at', 'is', null)
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/**
 * Undo of a delete, for the samples still there; with `stamp`, only those of that deletion (a sample deleted again
 * since, from its card, keeps its own). The ids it restored.
 */
export async function restoreSamples(db: LibraryKysely, ws: string, ids: readonly string[], stamp?: Date): Promise<string[]> {
  const rows = await db
    .updateTable('samples')
    .set({ deleted_at: null })
    .where('workspace_id', '=', ws)
    .where('id', 'in', [...ids])
    .$if(stamp === undefined, (q) => q.where('deleted_at', 'is not', null))
    .$if(stamp !== undefined, (q) => q.where('deleted_at', '=', stamp!))
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

import { sql } from 'kysely'
import { FINAL_STATUSES } from '../../../../src/api/schemas.ts'
import type { LibraryKysely } from '../db.ts'
import type { TaskRow } from '../schema.ts'
import { deletedExperimentIds } from './deleted-experiments.ts'
import { after, epochMicros, toPage, type Keyset, type Page } from './keyset.ts'

/* The task strip's reads, scoped by workspace. */

export type TaskListRow = TaskRow & { at_us: string }

/**
 * A page of tasks, newest first (the tasks_list index); `visibleOnly` leaves out the dismissed ones. A deleted
 * experiment's tasks are left out until it is restored.
 */
export async function listTasks(
  db: LibraryKysely,
  ws: string,
  filters: { visibleOnly: boolean },
  page: { limit: number; after?: Keyset | undefined },
): Promise<Page<TaskListRow>> {
  const rows = await db
    .selectFrom('tasks')
    .selectAll('tasks')
    .select(epochMicros('tasks.created_at').as('at_us'))
    .where('tasks.workspace_id', '=', ws)
    .where((eb) => eb.or([eb('tasks.experiment_id', 'is', null), eb('tasks.experiment_id', 'not in', deletedExperimentIds(eb, ws))]))
    .$if(filters.visibleOnly, (q) => q.where('tasks.dismissed', '=', false))
    .$if(page.after !== undefined, (q) => q.where(after('tasks.created_at', 'tasks.id', page.after!)))
    .orderBy('tasks.created_at', 'desc')
    .orderBy('tasks.id', 'desc')
    .limit(page.limit + 1)
    .execute()
  return toPage(rows, page.limit, (r) => r.id)
}

export function findTask(db: LibraryKysely, ws: string, id: string): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll().where('workspace_id', '=', ws).where('id', '=', id).executeTakeFirst()
}

/** An experiment's tasks, oldest first (the order the sweep sent them). */
export function tasksOfExperiment(db: LibraryKysely, ws: string, experimentId: string): Promise<TaskRow[]> {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('experiment_id', '=', experimentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/** Hides a task from the task strip (its samples stay in the gallery); undefined when there is none. */
export function dismissTask(db: LibraryKysely, ws: string, id: string): Promise<TaskRow | undefined> {
  return db
    .updateTable('tasks')
    .set({ dismissed: true })
    .where('workspace_id', '=', ws)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

/**
 * Clear finished: hides every task whose status is final (or that the provider lost), running and stalled ones stay.
 * The ids it hid.
 */
export async function dismissFinishedTasks(db: LibraryKysely, ws: string): Promise<string[]> {
  const rows = await db
    .updateTable('tasks')
    .set({ dismissed: true })
    .where('workspace_id', '=', ws)
    .where('dismissed', '=', false)
    .where((eb) => eb.or([eb('status', 'in', [...FINAL_STATUSES]), eb('lost', '=', true)]))
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/**
 * A stalled task (polling gave up after failures in a row) is followed again: the stall and the failures are cleared,
 * and it is due at once. Undefined when the task is not there or not stalled.
 */
export function resumeTask(db: LibraryKysely, ws: string, id: string): Promise<TaskRow | undefined> {
  return db
    .updateTable('tasks')
    .set({ stalled: null, poll_failures: 0, next_poll_at: sql`now()`, updated_at: sql`now()` })
    .where('workspace_id', '=', ws)
    .where('id', '=', id)
    .where('stalled', 'is not', null)
    .where('finished_at', 'is', null)
    .returningAll()
    .executeTakeFirst()
}

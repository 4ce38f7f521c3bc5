import type { LibraryKysely } from '../db.ts'
import type { TaskRow } from '../schema.ts'
import { after, epochMicros, toPage, type Keyset, type Page } from './keyset.ts'

/* The task strip's reads, scoped by workspace. */

export type TaskListRow = TaskRow & { at_us: string }

/** A page of tasks, newest first (the tasks_list index); `visibleOnly` leaves out the dismissed ones. */
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

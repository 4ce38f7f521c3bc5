import type { Transaction } from 'kysely'
import type { LibraryTables } from '../schema.ts'

/*
 * Removing for good what was deleted softly long enough ago that no Undo can still want it: samples, and experiments
 * with their tasks, those tasks' samples and their settled requests. Files stay in the blob store (a file may be
 * named by another sample or frame, in this workspace or another; a sweep of unreferenced files is a later step).
 */

export interface Purged {
  workspace: string
  samples: string[]
  tasks: string[]
  experiments: string[]
  requests: string[]
}

type Trx = Transaction<LibraryTables>

/** Everything deleted before `before`, removed, by workspace. Run it in a transaction. */
export async function purgeDeletedBefore(trx: Trx, before: Date): Promise<Purged[]> {
  const experiments = await trx
    .selectFrom('experiments')
    .select(['workspace_id', 'id'])
    .where('deleted_at', '<', before)
    .forUpdate()
    .execute()
  const experimentIds = experiments.map((e) => e.id)
  // Locked first, so an archive finishing one of them meanwhile waits, and then finds it gone.
  const taskRows = experimentIds.length
    ? await trx.selectFrom('tasks').select(['workspace_id', 'id']).where('experiment_id', 'in', experimentIds).forUpdate().execute()
    : []
  const taskIds = taskRows.map((t) => t.id)
  const samples = await trx
    .deleteFrom('samples')
    .where((eb) => eb.or([eb('deleted_at', '<', before), ...(taskIds.length ? [eb('task_record_id', 'in', taskIds)] : [])]))
    .returning(['workspace_id', 'id'])
    .execute()
  const tasks = taskIds.length ? await trx.deleteFrom('tasks').where('id', 'in', taskIds).returning(['workspace_id', 'id']).execute() : []
  // A request still out stays: it may yet become a task (the provider has the work).
  const requests = experimentIds.length
    ? await trx
        .deleteFrom('submit_queue')
        .where('experiment_id', 'in', experimentIds)
        .where('state', '!=', 'sending')
        .returning(['workspace_id', 'id'])
        .execute()
    : []
  const gone = experimentIds.length
    ? await trx.deleteFrom('experiments').where('id', 'in', experimentIds).returning(['workspace_id', 'id']).execute()
    : []

  const byWorkspace = new Map<string, Purged>()
  const of = (ws: string) => {
    let p = byWorkspace.get(ws)
    if (!p) byWorkspace.set(ws, (p = { workspace: ws, samples: [], tasks: [], experiments: [], requests: [] }))
    return p
  }
  for (const r of samples) of(r.workspace_id).samples.push(r.id)
  for (const r of tasks) of(r.workspace_id).tasks.push(r.id)
  for (const r of requests) of(r.workspace_id).requests.push(r.id)
  for (const r of gone) of(r.workspace_id).experiments.push(r.id)
  return [...byWorkspace.values()]
}

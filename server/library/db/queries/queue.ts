import { sql } from 'kysely'
import type { LibraryKysely } from '../db.ts'

/* The submit queue's rows that other writes move (the queue's own door is api/requests.ts). */

/**
 * Takes an experiment's requests still waiting out of line (state 'cancelled', so POST /requests/restore puts them
 * back); a request already out finishes and becomes its task. The ids it took out.
 */
export async function cancelWaitingOfExperiment(db: LibraryKysely, ws: string, experimentId: string): Promise<string[]> {
  const rows = await db
    .updateTable('submit_queue')
    .set({ state: 'cancelled', updated_at: sql`now()` })
    .where('workspace_id', '=', ws)
    .where('experiment_id', '=', experimentId)
    .where('state', '=', 'queued')
    .where('task_record_id', 'is', null)
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

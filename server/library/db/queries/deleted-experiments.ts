import type { ExpressionBuilder } from 'kysely'
import type { LibraryTables } from '../schema.ts'

/*
 * A deleted experiment (still undoable) takes its tasks and samples out of the task strip and the gallery with it, and
 * brings them back on restore: nothing is stamped on them, they are left out by their experiment. Deleted experiments
 * are few (the purge removes them after a few minutes), so PostgreSQL reads these as a small hashed list, once a query.
 */

/** The workspace's experiments deleted and not yet purged (for a query on tasks). */
export const deletedExperimentIds = (eb: ExpressionBuilder<LibraryTables, 'tasks'>, ws: string) =>
  eb
    .selectFrom('experiments')
    .select('experiments.id')
    .where('experiments.workspace_id', '=', ws)
    .where('experiments.deleted_at', 'is not', null)

/** The tasks of those experiments (for a query on samples). */
export const tasksOfDeletedExperiments = (eb: ExpressionBuilder<LibraryTables, 'samples'>, ws: string) =>
  eb
    .selectFrom('tasks')
    .innerJoin('experiments', 'experiments.id', 'tasks.experiment_id')
    .select('tasks.id')
    .where('tasks.workspace_id', '=', ws)
    .where('experiments.workspace_id', '=', ws)
    .where('experiments.deleted_at', 'is not', null)

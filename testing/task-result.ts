import { taskResultSchema, type TaskResult, type TaskResultWire } from '../src/api/schemas'

/** The task every fixture starts from: finished, no reason, no ETA. */
const DEFAULT_TASK = {
  task_id: 't1',
  status: 'TASK_STATUS_SUCCEED',
  reason: '',
  task_type: 'video',
} satisfies TaskResultWire['task']

/** What a test says about a task result the studio holds; what it leaves out takes the defaults. */
export interface TaskResultOverrides {
  task?: Partial<TaskResult['task']>
  videos?: TaskResult['videos']
  extra?: TaskResult['extra']
}

/**
 * What a test sends as a provider would. Keys are the contract's, so a misspelt one does not compile; values
 * are anything, because the provider is loose (nulls, numbers as strings, a missing TTL) and the lenient
 * schema must cope.
 */
export interface TaskResultWireOverrides {
  task?: { [K in keyof TaskResultWire['task']]?: unknown }
  videos?: unknown
  extra?: unknown
}

/**
 * A task result as it comes over the wire (shared/API.md; src/api/schemas.ts): by default a finished task
 * with no `videos` and no `extra` at all, which the contract allows. For tests that serve JSON.
 */
export function taskResultWire({ task, ...rest }: TaskResultWireOverrides = {}) {
  return { task: { ...DEFAULT_TASK, ...task }, ...rest }
}

/**
 * The same task result as the studio holds it: read through the contract's own schema, so a fixture always
 * has the shape a real answer would have (`videos` [] and `extra` {} when not given).
 */
export function taskResult(overrides: TaskResultOverrides = {}): TaskResult {
  return taskResultSchema.parse(taskResultWire(overrides))
}

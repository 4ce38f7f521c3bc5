import { useLiveQuery } from 'dexie-react-hooks'
import type { ErrorWords } from '../api/errors'
import { db, type TaskRecord } from './db'

/*
 * Whether a task is polled. A task that is not final is polled, unless polling gave up on it (too many failures in a
 * row): then it needs attention, and Retry polls it again. TASK_NOT_FOUND ends it as lost instead (tasks.ts).
 */

/** Polling gave up: the task needs attention, with the last failure's words (kept through a reload). */
export async function markTaskStalled(recordId: string, words: ErrorWords, now = Date.now()): Promise<void> {
  await db.tasks
    .where('id')
    .equals(recordId)
    .filter((t) => !t.finishedAt)
    .modify({ stalled: { message: words.message, details: words.details, at: now } })
}

/** Retry on a stalled task: it is polled again (nothing is sent again). */
export async function resumeTaskPolling(recordId: string): Promise<void> {
  await db.tasks.update(recordId, { stalled: undefined })
}

/** The tasks to poll, live: not final, and not given up on. */
export function usePolledTasks(): TaskRecord[] | undefined {
  return useLiveQuery(() => db.tasks.filter((t) => !t.finishedAt && !t.stalled).toArray(), [])
}

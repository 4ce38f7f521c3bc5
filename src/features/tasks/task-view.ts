import { isApiError } from '../../api/errors'
import type { TaskResult } from '../../api/schemas'
import type { TaskRecord } from '../../db/db'

/** What a task card shows, decided from the stored task, the last poll and the last poll error. */
export type TaskView =
  | { state: 'queued'; eta: number | undefined }
  | { state: 'processing'; percent: number; eta: number | undefined }
  | { state: 'done'; videos: number }
  | { state: 'empty' }
  | { state: 'failed'; reason: string }
  | { state: 'attention'; message: string }

/**
 * The stored outcome wins once a task is final (the poll stops then); until then an error that waiting will not
 * fix asks for the designer, and otherwise the last poll tells the progress.
 */
export function viewOf(task: TaskRecord, result: TaskResult | undefined, error: unknown): TaskView {
  if (task.finishedAt) {
    if (task.status === 'TASK_STATUS_FAILED') return { state: 'failed', reason: task.reason || 'The provider did not say why.' }
    return task.videoCount ? { state: 'done', videos: task.videoCount } : { state: 'empty' }
  }
  if (isApiError(error) && !error.transient) return { state: 'attention', message: error.message }
  if (result?.task.status === 'TASK_STATUS_PROCESSING')
    return { state: 'processing', percent: result.task.progress_percent ?? 0, eta: result.task.eta }
  return { state: 'queued', eta: result?.task.eta }
}

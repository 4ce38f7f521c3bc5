import { isApiError, describeError, type ErrorWords } from '../../api/errors'
import { POLL_FAILURE_LIMIT } from '../../api/poll-interval'
import type { TaskResult } from '../../api/schemas'
import type { TaskRecord } from '../../db/db'
import { plural } from '../../lib/format'

/** What a task card shows, decided from the stored task, the last poll and the last poll error. */
export type TaskView =
  | { state: 'queued'; eta: number | undefined }
  | { state: 'processing'; percent: number; eta: number | undefined }
  /** `kept`: how many of its `videos` are still in the gallery (the designer may have deleted some). */
  | { state: 'done'; videos: number; kept: number }
  | { state: 'empty' }
  | { state: 'failed'; reason: string }
  /** The provider no longer knows the task (TASK_NOT_FOUND): final, never polled again. */
  | { state: 'lost'; reason: string }
  /**
   * Waiting will not fix it (a refused key), or polling gave up after too many failures in a row (`stalled`): no poll
   * goes out until Retry.
   */
  | { state: 'attention'; words: ErrorWords; stalled: boolean }

/**
 * The stored outcome wins once a task is final (the poll stops then); until then an error that waiting will not
 * fix asks for the designer, and otherwise the last poll tells the progress. `remaining` is how many of its samples
 * are still in the gallery (undefined until read: then all of them).
 */
export function viewOf(task: TaskRecord, result: TaskResult | undefined, error: unknown, remaining?: number): TaskView {
  if (task.finishedAt) {
    if (task.lost) return { state: 'lost', reason: task.reason }
    if (task.status === 'TASK_STATUS_FAILED') return { state: 'failed', reason: task.reason || 'The provider did not say why.' }
    if (!task.videoCount) return { state: 'empty' }
    return { state: 'done', videos: task.videoCount, kept: Math.min(remaining ?? task.videoCount, task.videoCount) }
  }
  if (task.stalled) {
    const { message, details } = task.stalled
    return {
      state: 'attention',
      stalled: true,
      words: { message: `Checking stopped after ${POLL_FAILURE_LIMIT} failed tries. ${message}`, details },
    }
  }
  if (isApiError(error) && !error.transient) return { state: 'attention', stalled: false, words: describeError(error) }
  if (result?.task.status === 'TASK_STATUS_PROCESSING')
    return { state: 'processing', percent: result.task.progress_percent ?? 0, eta: result.task.eta }
  return { state: 'queued', eta: result?.task.eta }
}

/** What a finished task made, counting deletes: "2 videos", "1 of 2 videos", "video deleted". */
export function videosLabel({ videos, kept }: { videos: number; kept: number }): string {
  if (kept === videos) return plural(videos, 'video')
  if (kept > 0) return `${kept} of ${plural(videos, 'video')}`
  return videos === 1 ? 'video deleted' : `${plural(videos, 'video')} deleted`
}

/**
 * The progress a card shows `since` seconds after the answer that said `percent` with `eta` seconds left: polls can be
 * many seconds apart, so between them the bar moves on at the pace the ETA gives, stopping short of the end (only
 * the provider says when it is done). Without an ETA it shows what was said.
 */
export function progressSince(percent: number, eta: number | undefined, since: number): number {
  if (eta === undefined || eta <= 0 || since <= 0) return percent
  return percent + (100 - percent) * Math.min(MAX_GUESSED, since / eta)
}
/** How far the guess may take the bar between two answers. */
const MAX_GUESSED = 0.95

/** A processing view with no ETA takes the one the pace of its progress gives (`paced`), when there is one. */
export function withPacedEta(view: TaskView, paced: () => number | undefined): TaskView {
  if (view.state !== 'processing' || view.eta !== undefined) return view
  const eta = paced()
  return eta === undefined ? view : { ...view, eta }
}

import type { ErrorWords } from '../../api/errors'
import type { TaskRecord } from '../../db/db'
import { plural } from '../../lib/format'

/**
 * What a task card shows, decided from the task as the gateway keeps it (its runner polls the provider and writes
 * the status, progress and ETA it saw). The states are request-state.ts's, from "Sent" on.
 */
export type TaskView =
  | ({ state: 'sent'; eta: number | undefined } & Trouble)
  | ({ state: 'rendering'; percent: number; eta: number | undefined } & Trouble)
  /** The provider is done; the gateway is keeping the videos (a second or two), and then the samples appear. */
  | { state: 'keeping' }
  /** `kept`: how many of its `videos` are still in the gallery (the designer may have deleted some). */
  | { state: 'done'; videos: number; kept: number }
  | { state: 'empty' }
  /** Refused or given up by the provider, or lost (it no longer knows the task): final either way. */
  | { state: 'failed'; reason: string }
  /** Checking stopped after failures in a row, or at a fault waiting will not fix: Retry checks it again. */
  | { state: 'attention'; words: ErrorWords }

/**
 * `trouble`: the gateway's last polls failed (5xx, no answer) and it backs off and checks again by itself: the card
 * says so, since the status and ETA it shows are as old as the last answer.
 */
interface Trouble {
  trouble?: true
}

/**
 * The stored outcome wins once a task is final; until then a stop in checking asks for the designer, and otherwise
 * the last status tells the progress. `remaining` is how many of its samples are still in the gallery (undefined
 * until read: then all of them).
 */
export function viewOf(task: TaskRecord, remaining?: number): TaskView {
  if (task.finishedAt) {
    if (task.lost || task.status === 'TASK_STATUS_FAILED')
      return { state: 'failed', reason: task.reason || 'The provider did not say why.' }
    if (!task.videoCount) return { state: 'empty' }
    return { state: 'done', videos: task.videoCount, kept: Math.min(remaining ?? task.videoCount, task.videoCount) }
  }
  if (task.stalled) {
    const { message, details } = task.stalled
    return { state: 'attention', words: { message: `Checking stopped. ${message}`, details } }
  }
  if (task.status === 'TASK_STATUS_SUCCEED') return { state: 'keeping' }
  const trouble: Trouble = task.pollFailures ? { trouble: true } : {}
  if (task.status === 'TASK_STATUS_PROCESSING')
    return { state: 'rendering', percent: task.progressPercent ?? 0, eta: task.etaSeconds, ...trouble }
  return { state: 'sent', eta: task.etaSeconds, ...trouble }
}

/** What a finished task made, counting deletes: "2 videos", "1 of 2 videos", "video deleted". */
export function videosLabel({ videos, kept }: { videos: number; kept: number }): string {
  if (kept === videos) return plural(videos, 'video')
  if (kept > 0) return `${kept} of ${plural(videos, 'video')}`
  return videos === 1 ? 'video deleted' : `${plural(videos, 'video')} deleted`
}

/**
 * The progress a card shows `since` seconds after the status that said `percent` with `eta` seconds left: polls can be
 * many seconds apart, so between them the bar moves on at the pace the ETA gives, stopping short of the end (only
 * the provider says when it is done). Without an ETA it shows what was said.
 */
export function progressSince(percent: number, eta: number | undefined, since: number): number {
  if (eta === undefined || eta <= 0 || since <= 0) return percent
  return percent + (100 - percent) * Math.min(MAX_GUESSED, since / eta)
}
/** How far the guess may take the bar between two answers. */
const MAX_GUESSED = 0.95

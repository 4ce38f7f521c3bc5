import type { TaskResultWire } from '../../src/api/schemas.ts'
import type { EngineTask } from './engine-task.ts'

/*
 * An engine task in the contract's task-result shape (shared/API.md), so one client reads both engines. It never
 * claims to be Veo: extra.engine and extra.note say what made the video.
 */

const ENGINE_NAME = 'local-preview'
const ENGINE_NOTE = 'Local preview: motion from your frames, not AI.'

export interface TaskProgress {
  /** How far the render got (0–99), when it has started. */
  renderedPercent: number | undefined
  /** Seconds left (eta.ts). */
  eta: number
}

/** The task-result JSON; `videoUrl(n, expiresUnix)` builds the absolute URL of sample n. */
export function toTaskResult(
  task: EngineTask,
  { renderedPercent, eta }: TaskProgress,
  videoUrl: (n: number, expiresUnix: number) => string,
  now = Date.now(),
): TaskResultWire {
  // 100 means the videos are ready, so only a success says it; a failed task keeps the progress it had reached.
  const percent = task.status === 'TASK_STATUS_SUCCEED' ? 100 : task.status === 'TASK_STATUS_QUEUED' ? 0 : (renderedPercent ?? 0)
  const job = task.job
  const expiresUnix = Math.ceil((task.expiresAt ?? now) / 1000)
  const ttl = Math.max(0, Math.floor(((task.expiresAt ?? now) - now) / 1000))
  const videos =
    task.status === 'TASK_STATUS_SUCCEED'
      ? task.videos.map((_, n) => ({ video_url: videoUrl(n, expiresUnix), video_url_ttl: ttl, video_type: 'mp4' }))
      : []
  const debug: Record<string, string> = { submit_time_ms: String(task.submittedAt) }
  if (task.startedAt !== undefined) debug.execute_time_ms = String(task.startedAt)
  if (task.finishedAt !== undefined) debug.complete_time_ms = String(task.finishedAt)
  return {
    task: {
      task_id: task.id,
      status: task.status,
      reason: task.reason,
      task_type: job.model,
      eta,
      progress_percent: percent,
    },
    videos,
    extra: {
      seed: String(job.seed),
      engine: ENGINE_NAME,
      note: ENGINE_NOTE,
      ...(job.negativePrompt !== undefined ? { negative_prompt: job.negativePrompt } : {}),
      ...(job.personGeneration !== undefined ? { person_generation: job.personGeneration } : {}),
      motion: task.motion,
      debug_info: debug,
    },
  }
}

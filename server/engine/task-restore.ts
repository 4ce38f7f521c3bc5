import { access } from 'node:fs/promises'
import type { Logger } from '../logger.ts'
import type { EngineTask } from './engine-task.ts'
import type { TaskDisk } from './task-disk.ts'

/*
 * What a start does with each record the previous run left. A task the studio was given an id for is never dropped
 * before its TTL: a queued one waits its turn again, and one whose render a stop cut short is rendered again from
 * its frames (still on disk: they go only when a task ends). Only a task that keeps being cut short fails, so a
 * render that brings the gateway down cannot do so for ever.
 */

/** Renders a stop (or crash) may cut short before the task fails instead of starting again. */
export const MAX_INTERRUPTIONS = 3

export const RESTART_REASON = `The gateway stopped ${MAX_INTERRUPTIONS} times while this task was rendering; retry it.`
export const MISSING_FRAMES_REASON = 'The gateway restarted and this task’s frames were no longer on disk; retry it.'

/** What a graceful stop did with the tasks it found: every id is still answered after the restart. */
export interface DrainReport {
  /** Renders that ended (either way) within the grace period. */
  finished: string[]
  /** Renders cut short at the end of the grace period: rendered again after the restart. */
  interrupted: string[]
  /** Tasks that had not started: they wait on disk and run after the restart. */
  queued: string[]
}

export type Restore =
  | { action: 'keep' }
  | { action: 'remove' }
  | { action: 'requeue'; interrupted: boolean }
  | { action: 'fail'; reason: string }

/** Pure: the record, the time, and whether every frame file it names is still there. */
export function restoreAction(task: EngineTask, now: number, framesOnDisk: boolean): Restore {
  if (task.status === 'TASK_STATUS_QUEUED' || task.status === 'TASK_STATUS_PROCESSING') {
    const interrupted = task.status === 'TASK_STATUS_PROCESSING'
    if (interrupted && (task.interruptions ?? 0) + 1 >= MAX_INTERRUPTIONS) return { action: 'fail', reason: RESTART_REASON }
    if (!framesOnDisk) return { action: 'fail', reason: MISSING_FRAMES_REASON }
    return { action: 'requeue', interrupted }
  }
  if (task.expiresAt === undefined || task.expiresAt <= now) return { action: 'remove' }
  return { action: 'keep' }
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  )

export interface Restored {
  /** Every task still answered for, the requeued and failed ones included. */
  alive: EngineTask[]
  /** Back to QUEUED (and written so), in the order they were first submitted. */
  requeued: EngineTask[]
  /** Still as they were on disk: the store fails them with the reason. */
  failed: { task: EngineTask; reason: string }[]
}

/** Reads the previous run's records and sorts them; expired ones are removed from disk here. */
export async function restoreTasks(disk: TaskDisk, logger: Logger, now = Date.now()): Promise<Restored> {
  const out: Restored = { alive: [], requeued: [], failed: [] }
  const was = new Map<string, 'rendering' | 'queued'>()
  for (const task of await disk.readAll()) {
    const frames = Object.values(task.job.frames).flatMap((slot) => (slot ? [slot.file] : []))
    const restore = restoreAction(task, now, (await Promise.all(frames.map(exists))).every(Boolean))
    if (restore.action === 'remove') {
      await disk.remove(task.id)
      continue
    }
    out.alive.push(task)
    if (restore.action === 'fail') out.failed.push({ task, reason: restore.reason })
    if (restore.action !== 'requeue') continue
    if (restore.interrupted) {
      // Whatever the cut render left goes: it starts over from the first sample.
      await disk.removeVideos(task.id)
      task.interruptions = (task.interruptions ?? 0) + 1
    }
    task.status = 'TASK_STATUS_QUEUED'
    task.videos = []
    task.motion = []
    delete task.startedAt
    await disk.write(task)
    out.requeued.push(task)
    was.set(task.id, restore.interrupted ? 'rendering' : 'queued')
  }
  out.requeued.sort((a, b) => a.submittedAt - b.submittedAt)
  for (const task of out.requeued) logger.info('engine.task.requeued', { task_id: task.id, was: was.get(task.id) })
  return out
}

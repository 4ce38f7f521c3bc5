import type { FINAL_STATUSES, TaskStatus } from '../../src/api/schemas.ts'
import type { Job } from './validate.ts'

/*
 * One task of the local engine, as it lives in memory and in dataDir/tasks/<id>/task.json. Not the studio's
 * TaskRecord (src/db), which is the browser's note of a task it submitted to either engine.
 */

/** The statuses the engine sets. TASK_STATUS_UNKNOWN is only what a reader calls a status it does not know. */
type EngineStatus = Exclude<TaskStatus, 'TASK_STATUS_UNKNOWN'>
export type FinalStatus = (typeof FINAL_STATUSES)[number]

export interface EngineTask {
  version: 1
  id: string
  status: EngineStatus
  reason: string
  job: Job
  submittedAt: number
  startedAt?: number
  finishedAt?: number
  /** Epoch ms after which the videos (and the task) are gone. Set when the task ends. */
  expiresAt?: number
  /** File names inside the task's folder, one per sample. */
  videos: string[]
  /** The renderer's one-line description of each sample's motion. */
  motion: string[]
  /** How many times a gateway stop cut its render short; it is rendered again after each, up to a bound. */
  interruptions?: number
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Task ids are UUIDs; checking the form first keeps any other string away from the file system. */
export const isTaskId = (v: string) => ID.test(v)

/** Whether the task's TTL has passed: from then on it is gone, even before the sweep removes its files. */
export const isExpired = (task: EngineTask, now = Date.now()) => task.expiresAt !== undefined && now >= task.expiresAt

import { useLiveQuery } from 'dexie-react-hooks'
import type { ProviderId } from '../api/gateway-urls'
import type { TaskResult } from '../api/schemas'
import { db, type CellRef, type SampleRecord, type StoredRequest, type TaskRecord } from './db'
import { recordPrompt } from './prompts'

export const taskRecordId = (provider: ProviderId, taskId: string) => `${provider}:${taskId}`

/**
 * Written the moment the provider gives a task id, so a reload right after Generate loses nothing. A retry also
 * marks the task it retries, in the same transaction, so no card offers Retry for a task already sent again; the
 * prompt joins the history in it too.
 */
export async function addTask(
  provider: ProviderId,
  taskId: string,
  request: StoredRequest,
  {
    retryOf,
    sentAt,
    experimentId,
    cell,
  }: { retryOf?: string | undefined; sentAt?: number | undefined; experimentId?: string | undefined; cell?: CellRef | undefined } = {},
): Promise<TaskRecord> {
  const now = Date.now()
  const record: TaskRecord = {
    id: taskRecordId(provider, taskId),
    provider,
    taskId,
    request,
    createdAt: now,
    status: 'TASK_STATUS_QUEUED',
    reason: '',
    sentAt: sentAt ?? now,
    ...(experimentId ? { experimentId, cell } : {}),
  }
  await db.transaction('rw', db.tasks, db.prompts, async () => {
    await db.tasks.put(record)
    if (retryOf) await db.tasks.update(retryOf, { retriedAs: record.id })
    // Every prompt that was sent is kept, for the Prompt field's history.
    if (typeof request.params.prompt === 'string') await recordPrompt(request.params.prompt, now)
  })
  return record
}

/**
 * Records a final result once: the task's outcome and one sample per video, each with the time its URL
 * expires. Returns the samples whose videos still need copying into storage.
 */
export async function recordFinalResult(recordId: string, result: TaskResult, now = Date.now()): Promise<SampleRecord[]> {
  return db.transaction('rw', db.tasks, db.samples, async () => {
    const task = await db.tasks.get(recordId)
    if (!task || task.finishedAt) return []
    const samples: SampleRecord[] =
      result.task.status === 'TASK_STATUS_SUCCEED'
        ? result.videos.map((video, index) => ({
            id: `${recordId}#${index}`,
            taskRecordId: recordId,
            provider: task.provider,
            index,
            request: task.request,
            seed: result.extra.seed ?? (task.request.params.seed === undefined ? undefined : String(task.request.params.seed)),
            createdAt: now,
            videoUrl: video.video_url,
            urlExpiresAt: now + video.video_url_ttl * 1000,
            stored: false,
            favourite: 0,
          }))
        : []
    await db.tasks.update(recordId, {
      status: result.task.status,
      reason: result.task.reason,
      finishedAt: now,
      seed: result.extra.seed,
      videoCount: samples.length,
    })
    await db.samples.bulkPut(samples)
    return samples
  })
}

/** A task the studio cannot follow any more (e.g. the provider forgot it): final, with the reason. */
export async function markTaskLost(recordId: string, reason: string): Promise<void> {
  await db.tasks.update(recordId, { status: 'TASK_STATUS_FAILED', reason, finishedAt: Date.now(), videoCount: 0 })
}

/** Hides a task from the task strip; its samples stay in the gallery. */
export async function dismissTask(recordId: string): Promise<void> {
  await db.tasks.update(recordId, { dismissed: true })
}

/**
 * "Clear finished": hides every finished task from the strip in one transaction; running tasks stay. Returns how
 * many it hid.
 */
export async function dismissFinishedTasks(): Promise<number> {
  return db.transaction('rw', db.tasks, () => db.tasks.filter((t) => Boolean(t.finishedAt) && !t.dismissed).modify({ dismissed: true }))
}

/** Tasks not final yet: the ones that still need a poller. */
const runningTasks = () => db.tasks.filter((t) => !t.finishedAt)

/** The unfinished tasks, live; undefined until the first read. */
export function useRunningTasks(): TaskRecord[] | undefined {
  return useLiveQuery(() => runningTasks().toArray(), [])
}

/** The task strip: newest first, dismissed tasks left out; undefined until the first read. */
export function useVisibleTasks(): TaskRecord[] | undefined {
  return useLiveQuery(
    () =>
      db.tasks
        .orderBy('createdAt')
        .reverse()
        .filter((t) => !t.dismissed)
        .toArray(),
    [],
  )
}

/** A task's samples: their ids are `${task record id}#${index}`, so the primary key finds them without an index. */
/**
 * How many of each task's videos are still in the gallery, live, by task record id (a task with none left is
 * absent): a deleted one stops counting at once, even while its Undo is offered. One read for the whole task strip.
 * Undefined until the first read.
 */
export function useRemainingSampleCounts(): ReadonlyMap<string, number> | undefined {
  return useLiveQuery(async () => {
    const counts = new Map<string, number>()
    await db.samples
      .filter((s) => s.deletedAt === undefined)
      .each((s) => void counts.set(s.taskRecordId, (counts.get(s.taskRecordId) ?? 0) + 1))
    return counts
  }, [])
}

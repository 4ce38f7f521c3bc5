import type { ProviderId } from '../api/gateway-urls'
import type { TaskResult } from '../api/schemas'
import { db, type SampleRecord, type StoredRequest, type TaskRecord } from './db'

export const taskRecordId = (provider: ProviderId, taskId: string) => `${provider}:${taskId}`

/** Written the moment the provider gives a task id, so a reload right after Generate loses nothing. */
export async function addTask(provider: ProviderId, taskId: string, request: StoredRequest): Promise<TaskRecord> {
  const record: TaskRecord = {
    id: taskRecordId(provider, taskId),
    provider,
    taskId,
    request,
    createdAt: Date.now(),
    status: 'TASK_STATUS_QUEUED',
    reason: '',
  }
  await db.tasks.put(record)
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

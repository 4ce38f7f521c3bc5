import { afterEach, describe, expect, it } from 'vitest'
import { db, type QueueItem, type StoredRequest } from './db'
import { completeQueueItem } from './queue-runner'
import { taskResult } from '../../testing/task-result'
import { heldTaskCount, recordFinalResult, writeHeldTasks } from './tasks'

const request: StoredRequest = { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'a kite' }, frames: {} }
const item: QueueItem = { id: 'q1', createdAt: 1, provider: 'local', request, state: 'sending', sentAt: 5, attempts: 1 }

const refuse = () => {
  throw new DOMException('full', 'QuotaExceededError')
}

afterEach(async () => {
  db.tasks.hook('creating').unsubscribe(refuse)
  localStorage.clear()
  await writeHeldTasks()
  await db.delete()
  await db.open()
})

describe('a task id when storage is full', () => {
  it('is held in localStorage, its request leaves the queue, and it is written once there is space', async () => {
    await db.queue.put(item)
    db.tasks.hook('creating', refuse)
    const record = await completeQueueItem(item, 'T1')
    // The caller hears of its task as usual: the provider has the work.
    expect(record).toMatchObject({ id: 'local:T1', taskId: 'T1', sentAt: 5 })
    expect(await db.tasks.count()).toBe(0)
    expect(await db.queue.get('q1')).toBeUndefined()
    expect(JSON.parse(localStorage.getItem('veo-studio.held-tasks')!)).toEqual([{ item, taskId: 'T1' }])
    expect(heldTaskCount()).toBe(1)

    // Still full: still held.
    expect(await writeHeldTasks()).toBe(1)
    db.tasks.hook('creating').unsubscribe(refuse)
    expect(await writeHeldTasks()).toBe(0)
    expect(await db.tasks.get('local:T1')).toMatchObject({ taskId: 'T1', request, sentAt: 5, status: 'TASK_STATUS_QUEUED' })
    expect(localStorage.getItem('veo-studio.held-tasks')).toBeNull()
    // Written once only, also when tried again.
    expect(await writeHeldTasks()).toBe(0)
    expect(await db.tasks.count()).toBe(1)
  })

  it('survives a reload: read back from localStorage at start', async () => {
    localStorage.setItem('veo-studio.held-tasks', JSON.stringify([{ item, taskId: 'T2' }]))
    expect(await writeHeldTasks()).toBe(0)
    expect(await db.tasks.get('local:T2')).toBeDefined()
  })

  it('is not held for a failure other than space: that one is the runner’s to handle', async () => {
    await db.queue.put(item)
    const broken = () => {
      throw new Error('constraint')
    }
    db.tasks.hook('creating', broken)
    try {
      await expect(completeQueueItem(item, 'T3')).rejects.toThrow('constraint')
    } finally {
      db.tasks.hook('creating').unsubscribe(broken)
    }
    expect(heldTaskCount()).toBe(0)
    expect(await db.queue.get('q1')).toBeDefined()
  })
})

describe('a final result when storage is full', () => {
  it('is held and written with the held task ids once there is space', async () => {
    await db.tasks.put({
      id: 'local:T4',
      provider: 'local',
      taskId: 'T4',
      request,
      createdAt: 1,
      status: 'TASK_STATUS_PROCESSING',
      reason: '',
    })
    const video = { video_url: 'http://x/0.mp4', video_url_ttl: 3600, video_type: 'mp4' }
    db.samples.hook('creating', refuse)
    try {
      expect(
        await recordFinalResult('local:T4', taskResult({ task: { status: 'TASK_STATUS_SUCCEED', reason: '' }, videos: [video] }), 50),
      ).toEqual([])
      expect((await db.tasks.get('local:T4'))?.finishedAt).toBeUndefined()
      // Still full: held again, once.
      expect(await writeHeldTasks()).toBe(1)
    } finally {
      db.samples.hook('creating').unsubscribe(refuse)
    }
    expect(await writeHeldTasks()).toBe(0)
    expect(await db.tasks.get('local:T4')).toMatchObject({ status: 'TASK_STATUS_SUCCEED', finishedAt: 50, videoCount: 1 })
    expect(await db.samples.get('local:T4#0')).toMatchObject({ videoUrl: 'http://x/0.mp4', stored: false })
  })
})

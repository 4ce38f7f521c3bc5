import { act, renderHook, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { TaskResult } from '../api/schemas'
import { sampleRecord } from '../../testing/sample-record'
import { taskResult } from '../../testing/task-result'
import { db, type StoredRequest } from './db'
import { deleteSample, restoreSample } from './samples'
import {
  addTask,
  dismissFinishedTasks,
  dismissTask,
  recordFinalResult,
  taskRecordId,
  useRemainingSampleCounts,
  useVisibleTasks,
} from './tasks'

const request: StoredRequest = { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'pan left', seed: 9 }, frames: {} }
const result = (status: TaskResult['task']['status'], videos: TaskResult['videos'] = [], seed?: string): TaskResult =>
  taskResult({ task: { status, reason: status === 'TASK_STATUS_FAILED' ? 'boom' : '' }, videos, extra: seed ? { seed } : {} })

afterEach(async () => {
  await db.delete()
  await db.open()
})

describe('task records', () => {
  it('are written the moment a task id exists, queued', async () => {
    await addTask('local', 't1', request)
    expect(await db.tasks.get(taskRecordId('local', 't1'))).toMatchObject({ status: 'TASK_STATUS_QUEUED', request })
  })

  it('record a success once, with one sample per video and the time each URL expires', async () => {
    await addTask('local', 't1', request)
    const videos = [
      { video_url: 'http://x/0.mp4', video_url_ttl: 3600, video_type: 'mp4' },
      { video_url: 'http://x/1.mp4', video_url_ttl: 60, video_type: 'mp4' },
    ]
    const samples = await recordFinalResult('local:t1', result('TASK_STATUS_SUCCEED', videos, '123'), 1_000)
    expect(samples.map((s) => [s.id, s.provider, s.urlExpiresAt, s.seed, s.stored])).toEqual([
      ['local:t1#0', 'local', 3_601_000, '123', false],
      ['local:t1#1', 'local', 61_000, '123', false],
    ])
    expect(await db.tasks.get('local:t1')).toMatchObject({ status: 'TASK_STATUS_SUCCEED', videoCount: 2, finishedAt: 1_000 })
    // A second poll that sees the same final status changes nothing.
    expect(await recordFinalResult('local:t1', result('TASK_STATUS_SUCCEED', videos, '123'), 2_000)).toEqual([])
    expect(await db.samples.count()).toBe(2)
  })

  it('record a failure with its reason and no samples', async () => {
    await addTask('jiekou', 't1', request)
    await recordFinalResult('jiekou:t1', result('TASK_STATUS_FAILED'))
    expect(await db.tasks.get('jiekou:t1')).toMatchObject({ status: 'TASK_STATUS_FAILED', reason: 'boom', videoCount: 0 })
    expect(await db.samples.count()).toBe(0)
  })

  /** A task that succeeds with one video and no seed in its result. */
  async function finishWithOneVideo(provider: 'local' | 'jiekou') {
    await addTask(provider, 't1', request)
    const [sample] = await recordFinalResult(
      `${provider}:t1`,
      result('TASK_STATUS_SUCCEED', [{ video_url: 'u', video_url_ttl: 1, video_type: 'mp4' }]),
    )
    return sample
  }

  it('fall back to the requested seed when the provider reports none', async () => {
    expect((await finishWithOneVideo('local'))?.seed).toBe('9')
  })

  it('name the provider on each sample, which decides how its video is fetched', async () => {
    expect((await finishWithOneVideo('jiekou'))?.provider).toBe('jiekou')
    expect((await db.samples.get('jiekou:t1#0'))?.provider).toBe('jiekou')
  })

  it('of a retry mark the task they retry', async () => {
    await addTask('local', 't1', request)
    await addTask('local', 't2', request, { retryOf: 'local:t1' })
    expect(await db.tasks.get('local:t1')).toMatchObject({ retriedAs: 'local:t2' })
    expect((await db.tasks.get('local:t2'))?.retriedAs).toBeUndefined()
  })

  it('are hidden from the strip when dismissed, and kept', async () => {
    await addTask('local', 't1', request)
    await dismissTask('local:t1')
    expect(await db.tasks.get('local:t1')).toMatchObject({ dismissed: true, request })
  })

  it('are cleared from the strip all at once when finished; running ones stay', async () => {
    await addTask('local', 'done', request)
    await addTask('local', 'failed', request)
    await addTask('local', 'running', request)
    await recordFinalResult('local:done', result('TASK_STATUS_SUCCEED'))
    await recordFinalResult('local:failed', result('TASK_STATUS_FAILED'))
    expect(await dismissFinishedTasks()).toBe(2)
    const { result: visible } = renderHook(() => useVisibleTasks())
    await waitFor(() => expect(visible.current?.map((t) => t.id)).toEqual(['local:running']))
    // Hidden, not gone: their samples' tasks are still there.
    expect(await db.tasks.count()).toBe(3)
  })
})

describe('the remaining samples of a task', () => {
  it('count live: a delete counts at once, an Undo brings it back, other tasks do not count', async () => {
    await db.samples.bulkPut([
      sampleRecord({ taskRecordId: 'local:t1', index: 0 }),
      sampleRecord({ taskRecordId: 'local:t1', index: 1 }),
      sampleRecord({ taskRecordId: 'local:t10', index: 0 }),
    ])
    const counts = renderHook(() => useRemainingSampleCounts()).result
    const remaining = () => counts.current?.get('local:t1') ?? 0
    await waitFor(() => expect(counts.current?.get('local:t1')).toBe(2))
    expect(counts.current?.get('local:t10')).toBe(1)
    await act(() => deleteSample('local:t1#0'))
    await waitFor(() => expect(remaining()).toBe(1))
    await act(() => deleteSample('local:t1#1'))
    await waitFor(() => expect(remaining()).toBe(0))
    await act(() => restoreSample('local:t1#1'))
    await waitFor(() => expect(remaining()).toBe(1))
  })
})

// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api/errors'
import type { TaskResult } from '../../api/schemas'
import type { TaskRecord } from '../../db/db'
import { taskResult } from '../../../testing/task-result'
import { progressSince, videosLabel, viewOf, withPacedEta, type TaskView } from './task-view'

const task = (stored: Partial<TaskRecord> = {}): TaskRecord => ({
  id: 'local:t1',
  provider: 'local',
  taskId: 't1',
  request: { modelId: 'veo-3.1-generate-firstlastframe', params: {}, frames: {} },
  createdAt: 0,
  status: 'TASK_STATUS_QUEUED',
  reason: '',
  ...stored,
})
const poll = (status: TaskResult['task']['status'], fields: Partial<TaskResult['task']> = {}): TaskResult =>
  taskResult({ task: { status, ...fields } })
const refused = new ApiError({ kind: 'http', status: 401, reason: 'INVALID_API_KEY', message: 'bad key' })
const busy = new ApiError({ kind: 'http', status: 503, message: 'busy' })

describe('viewOf', () => {
  it.each<[string, TaskRecord, TaskResult | undefined, unknown, TaskView]>([
    ['a new task is queued', task(), undefined, null, { state: 'queued', eta: undefined }],
    ['a queued poll shows its ETA', task(), poll('TASK_STATUS_QUEUED', { eta: 30 }), null, { state: 'queued', eta: 30 }],
    [
      'a processing poll shows progress and ETA',
      task(),
      poll('TASK_STATUS_PROCESSING', { progress_percent: 40, eta: 12 }),
      null,
      { state: 'processing', percent: 40, eta: 12 },
    ],
    [
      'processing without progress starts at 0 %',
      task(),
      poll('TASK_STATUS_PROCESSING'),
      null,
      { state: 'processing', percent: 0, eta: undefined },
    ],
    ['an unknown status still counts as queued', task(), poll('TASK_STATUS_UNKNOWN'), null, { state: 'queued', eta: undefined }],
    [
      'an error waiting will not fix needs attention',
      task(),
      undefined,
      refused,
      {
        state: 'attention',
        stalled: false,
        words: {
          message: 'The jiekou.ai key was refused. Check it in Settings.',
          details: 'INVALID_API_KEY (HTTP 401)\nbad key',
          fix: 'settings',
          account: 'key',
        },
      },
    ],
    [
      'a task polling gave up on needs attention, with the last failure, even before any poll after a reload',
      task({ stalled: { message: 'The provider had a problem. Try again in a moment.', details: 'HTTP 500', at: 9 } }),
      undefined,
      null,
      {
        state: 'attention',
        stalled: true,
        words: {
          message: 'Checking stopped after 8 failed tries. The provider had a problem. Try again in a moment.',
          details: 'HTTP 500',
        },
      },
    ],
    [
      'a task the provider no longer knows is lost, with the reason',
      task({ finishedAt: 5, status: 'TASK_STATUS_FAILED', lost: true, reason: 'the provider no longer knows this task' }),
      undefined,
      null,
      { state: 'lost', reason: 'the provider no longer knows this task' },
    ],
    [
      'a transient error keeps the last progress',
      task(),
      poll('TASK_STATUS_PROCESSING', { progress_percent: 10 }),
      busy,
      {
        state: 'processing',
        percent: 10,
        eta: undefined,
      },
    ],
    [
      'a stored success shows its videos',
      task({ finishedAt: 5, status: 'TASK_STATUS_SUCCEED', videoCount: 2 }),
      undefined,
      null,
      { state: 'done', videos: 2, kept: 2 },
    ],
    [
      'a success without videos is empty',
      task({ finishedAt: 5, status: 'TASK_STATUS_SUCCEED', videoCount: 0 }),
      undefined,
      null,
      { state: 'empty' },
    ],
    [
      'a stored failure shows its reason',
      task({ finishedAt: 5, status: 'TASK_STATUS_FAILED', reason: 'unsafe prompt' }),
      undefined,
      null,
      { state: 'failed', reason: 'unsafe prompt' },
    ],
    [
      'a failure without a reason says so',
      task({ finishedAt: 5, status: 'TASK_STATUS_FAILED' }),
      undefined,
      null,
      { state: 'failed', reason: 'The provider did not say why.' },
    ],
    [
      'the stored outcome wins over a stale poll and its error',
      task({ finishedAt: 5, status: 'TASK_STATUS_FAILED', reason: 'lost' }),
      poll('TASK_STATUS_PROCESSING'),
      refused,
      { state: 'failed', reason: 'lost' },
    ],
  ])('%s', (_, stored, result, error, expected) => {
    expect(viewOf(stored, result, error)).toEqual(expected)
  })

  it.each<[string, number | undefined, TaskView]>([
    ['counts all videos until the samples are read', undefined, { state: 'done', videos: 2, kept: 2 }],
    ['counts what is left after a delete', 1, { state: 'done', videos: 2, kept: 1 }],
    ['counts none when all were deleted', 0, { state: 'done', videos: 2, kept: 0 }],
    ['never counts more than the task made', 3, { state: 'done', videos: 2, kept: 2 }],
  ])('%s', (_, remaining, expected) => {
    expect(viewOf(task({ finishedAt: 5, status: 'TASK_STATUS_SUCCEED', videoCount: 2 }), undefined, null, remaining)).toEqual(expected)
  })
})

describe('videosLabel', () => {
  it.each<[number, number, string]>([
    [1, 1, '1 video'],
    [2, 2, '2 videos'],
    [2, 1, '1 of 2 videos'],
    [4, 3, '3 of 4 videos'],
    [1, 0, 'video deleted'],
    [2, 0, '2 videos deleted'],
  ])('%i made, %i kept: "%s"', (videos, kept, label) => {
    expect(videosLabel({ videos, kept })).toBe(label)
  })
})

describe('progressSince', () => {
  it.each<[string, number, number | undefined, number, number]>([
    ['as said, at the answer', 40, 30, 0, 40],
    ['on at the pace of the ETA: a third of the time left, a third of the way left', 40, 30, 10, 60],
    ['never past 95 % of the way: only the provider says it is done', 40, 30, 300, 97],
    ['as said, without an ETA', 40, undefined, 10, 40],
  ])('%s', (_, percent, eta, since, shown) => {
    expect(progressSince(percent, eta, since)).toBeCloseTo(shown, 6)
  })
})

describe('withPacedEta', () => {
  it("takes the pace's ETA only for a processing view that has none", () => {
    const paced = () => 12
    expect(withPacedEta({ state: 'processing', percent: 40, eta: undefined }, paced)).toEqual({ state: 'processing', percent: 40, eta: 12 })
    expect(withPacedEta({ state: 'processing', percent: 40, eta: 30 }, paced)).toEqual({ state: 'processing', percent: 40, eta: 30 })
    expect(withPacedEta({ state: 'queued', eta: undefined }, paced)).toEqual({ state: 'queued', eta: undefined })
    expect(withPacedEta({ state: 'processing', percent: 40, eta: undefined }, () => undefined)).toEqual({
      state: 'processing',
      percent: 40,
      eta: undefined,
    })
  })
})

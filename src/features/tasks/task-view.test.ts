// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { TaskRecord } from '../../db/db'
import { progressSince, videosLabel, viewOf, type TaskView } from './task-view'

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

describe('viewOf', () => {
  it.each<[string, TaskRecord, TaskView]>([
    ['a task the gateway just sent', task(), { state: 'sent', eta: undefined }],
    ['queued at the provider, with its ETA', task({ etaSeconds: 30 }), { state: 'sent', eta: 30 }],
    [
      'rendering, with the progress and ETA the last poll saw',
      task({ status: 'TASK_STATUS_PROCESSING', progressPercent: 40, etaSeconds: 12 }),
      { state: 'rendering', percent: 40, eta: 12 },
    ],
    [
      'rendering without progress starts at 0 %',
      task({ status: 'TASK_STATUS_PROCESSING' }),
      { state: 'rendering', percent: 0, eta: undefined },
    ],
    [
      'a status the studio does not know yet is still sent',
      task({ status: 'TASK_STATUS_UNKNOWN' as never }),
      { state: 'sent', eta: undefined },
    ],
    [
      'polls failing in a row while the gateway still checks: sent, in trouble',
      task({ etaSeconds: 30, pollFailures: 2 }),
      { state: 'sent', eta: 30, trouble: true },
    ],
    [
      'polls failing in a row while rendering: the last progress, in trouble',
      task({ status: 'TASK_STATUS_PROCESSING', progressPercent: 40, pollFailures: 1 }),
      { state: 'rendering', percent: 40, eta: undefined, trouble: true },
    ],
    [
      'done at the provider, while the gateway keeps the videos',
      task({ status: 'TASK_STATUS_SUCCEED', progressPercent: 100 }),
      { state: 'keeping' },
    ],
    [
      'checking stopped: it needs attention, with the last failure',
      task({ stalled: { message: 'The provider had a problem. Try again in a moment.', details: 'HTTP 500', at: 9 } }),
      {
        state: 'attention',
        words: { message: 'Checking stopped. The provider had a problem. Try again in a moment.', details: 'HTTP 500' },
      },
    ],
    [
      'a stored success shows its videos',
      task({ finishedAt: 5, status: 'TASK_STATUS_SUCCEED', videoCount: 2 }),
      { state: 'done', videos: 2, kept: 2 },
    ],
    ['a success without videos is empty', task({ finishedAt: 5, status: 'TASK_STATUS_SUCCEED', videoCount: 0 }), { state: 'empty' }],
    [
      'a stored failure shows its reason',
      task({ finishedAt: 5, status: 'TASK_STATUS_FAILED', reason: 'unsafe prompt' }),
      { state: 'failed', reason: 'unsafe prompt' },
    ],
    [
      'a failure without a reason says so',
      task({ finishedAt: 5, status: 'TASK_STATUS_FAILED' }),
      { state: 'failed', reason: 'The provider did not say why.' },
    ],
    [
      'a task the provider no longer knows has failed, whatever its last status, with the reason',
      task({ finishedAt: 5, lost: true, reason: 'The provider no longer knows this task. Generate it again.' }),
      { state: 'failed', reason: 'The provider no longer knows this task. Generate it again.' },
    ],
  ])('%s', (_, stored, expected) => {
    expect(viewOf(stored)).toEqual(expected)
  })

  it.each<[string, number | undefined, TaskView]>([
    ['counts all videos until the samples are read', undefined, { state: 'done', videos: 2, kept: 2 }],
    ['counts what is left after a delete', 1, { state: 'done', videos: 2, kept: 1 }],
    ['counts none when all were deleted', 0, { state: 'done', videos: 2, kept: 0 }],
    ['never counts more than the task made', 3, { state: 'done', videos: 2, kept: 2 }],
  ])('%s', (_, remaining, expected) => {
    expect(viewOf(task({ finishedAt: 5, status: 'TASK_STATUS_SUCCEED', videoCount: 2 }), remaining)).toEqual(expected)
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

import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api/errors'
import type { TaskResult } from '../../api/schemas'
import type { TaskRecord } from '../../db/db'
import { taskResult } from '../../../testing/task-result'
import { viewOf, type TaskView } from './task-view'

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
    ['an error waiting will not fix needs attention', task(), undefined, refused, { state: 'attention', message: 'bad key' }],
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
      { state: 'done', videos: 2 },
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
})

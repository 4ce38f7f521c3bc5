import { describe, expect, it } from 'vitest'
import type { EngineTask } from './engine-task.ts'
import { MAX_INTERRUPTIONS, MISSING_FRAMES_REASON, RESTART_REASON, restoreAction, type Restore } from './task-restore.ts'

/* What a start does with each record the previous run left: a table of cases. */

const NOW = 1_000_000
const task = (over: Partial<EngineTask>): EngineTask => ({
  version: 1,
  id: 'x',
  status: 'TASK_STATUS_QUEUED',
  reason: '',
  job: {} as EngineTask['job'],
  submittedAt: 0,
  videos: [],
  motion: [],
  ...over,
})

const cases: [string, Partial<EngineTask>, boolean, Restore][] = [
  ['queued: waits its turn again', { status: 'TASK_STATUS_QUEUED' }, true, { action: 'requeue', interrupted: false }],
  ['rendering: rendered again', { status: 'TASK_STATUS_PROCESSING' }, true, { action: 'requeue', interrupted: true }],
  [
    'rendering, cut short once before',
    { status: 'TASK_STATUS_PROCESSING', interruptions: MAX_INTERRUPTIONS - 2 },
    true,
    { action: 'requeue', interrupted: true },
  ],
  [
    `rendering, cut short ${MAX_INTERRUPTIONS} times in all: fails, so a render that kills the gateway cannot loop`,
    { status: 'TASK_STATUS_PROCESSING', interruptions: MAX_INTERRUPTIONS - 1 },
    true,
    { action: 'fail', reason: RESTART_REASON },
  ],
  [
    'queued, frames gone: fails with the reason',
    { status: 'TASK_STATUS_QUEUED' },
    false,
    { action: 'fail', reason: MISSING_FRAMES_REASON },
  ],
  ['finished, within its TTL: kept', { status: 'TASK_STATUS_SUCCEED', expiresAt: NOW + 1 }, false, { action: 'keep' }],
  ['failed, within its TTL: kept', { status: 'TASK_STATUS_FAILED', expiresAt: NOW + 1 }, false, { action: 'keep' }],
  ['finished, TTL over: removed', { status: 'TASK_STATUS_SUCCEED', expiresAt: NOW }, true, { action: 'remove' }],
  ['finished with no expiry (damaged): removed', { status: 'TASK_STATUS_SUCCEED' }, true, { action: 'remove' }],
]

describe('restoreAction', () => {
  it.each(cases)('%s', (_, over, framesOnDisk, want) => {
    expect(restoreAction(task(over), NOW, framesOnDisk)).toEqual(want)
  })
})

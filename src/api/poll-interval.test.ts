// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { ApiError } from './errors'
import type { TaskResult } from './schemas'
import { nextPollDelay } from './poll-interval'
import { taskResult } from '../../testing/task-result'

const result = (status: TaskResult['task']['status'], task: Partial<TaskResult['task']> = {}): TaskResult =>
  taskResult({ task: { status, ...task } })
const base = { error: null, failures: 0, hidden: false }

describe('nextPollDelay', () => {
  it('stops on a final status', () => {
    expect(nextPollDelay({ ...base, data: result('TASK_STATUS_SUCCEED') })).toBe(false)
    expect(nextPollDelay({ ...base, data: result('TASK_STATUS_FAILED') })).toBe(false)
  })
  it('keeps polling an unknown status', () => {
    expect(nextPollDelay({ ...base, data: result('TASK_STATUS_UNKNOWN') })).toBe(3_000)
  })
  it('follows the ETA, polling more often near the end', () => {
    expect(nextPollDelay({ ...base, data: result('TASK_STATUS_PROCESSING', { eta: 40 }) })).toBe(10_000)
    expect(nextPollDelay({ ...base, data: result('TASK_STATUS_PROCESSING', { eta: 2 }) })).toBe(1_000)
    expect(nextPollDelay({ ...base, data: result('TASK_STATUS_PROCESSING', { eta: 600 }) })).toBe(15_000)
  })
  it('follows progress when there is no ETA', () => {
    expect(nextPollDelay({ ...base, data: result('TASK_STATUS_PROCESSING', { progress_percent: 30 }) })).toBe(2_000)
    expect(nextPollDelay({ ...base, data: result('TASK_STATUS_PROCESSING', { progress_percent: 90 }) })).toBe(1_000)
  })
  it('backs off on 429 and 5xx, honouring Retry-After', () => {
    const busy = new ApiError({ kind: 'http', status: 503, message: 'busy' })
    expect(nextPollDelay({ ...base, data: undefined, error: busy, failures: 1 })).toBe(2_000)
    expect(nextPollDelay({ ...base, data: undefined, error: busy, failures: 3 })).toBe(8_000)
    expect(nextPollDelay({ ...base, data: undefined, error: busy, failures: 10 })).toBe(60_000)
    const limited = new ApiError({ kind: 'http', status: 429, message: 'slow', retryAfter: 20 })
    expect(nextPollDelay({ ...base, data: undefined, error: limited, failures: 1 })).toBe(20_000)
  })
  it('stops on an error that waiting will not fix', () => {
    const gone = new ApiError({ kind: 'http', status: 404, reason: 'TASK_NOT_FOUND', message: 'no' })
    expect(nextPollDelay({ ...base, data: undefined, error: gone, failures: 1 })).toBe(false)
  })
  it('polls a background tab more slowly, but keeps polling', () => {
    expect(nextPollDelay({ ...base, hidden: true, data: result('TASK_STATUS_QUEUED') })).toBe(9_000)
  })
})

// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { ApiError } from './errors'
import type { TaskResult } from './schemas'
import { POLL_FAILURE_LIMIT, nextPollDelay, pollGaveUp } from './poll-interval'
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
  it('backs off on 429 and 5xx exponentially, with ±25 % jitter, honouring Retry-After', () => {
    const busy = new ApiError({ kind: 'http', status: 503, message: 'busy' })
    const at = (failures: number, r: number) => nextPollDelay({ ...base, data: undefined, error: busy, failures, random: () => r })
    // [failures, lowest, middle, highest]
    const table: [number, number, number, number][] = [
      [1, 750, 1_000, 1_250],
      [2, 1_500, 2_000, 2_500],
      [3, 3_000, 4_000, 5_000],
      [4, 6_000, 8_000, 10_000],
      [5, 12_000, 16_000, 20_000],
      [6, 22_500, 30_000, 37_500],
      [7, 22_500, 30_000, 37_500],
    ]
    for (const [failures, low, mid, high] of table) {
      expect(at(failures, 0)).toBe(low)
      expect(at(failures, 0.5)).toBe(mid)
      expect(at(failures, 0.999_999)).toBe(high)
    }
    // Four 500s in a row cost about 15 s, not 30.
    expect([1, 2, 3, 4].reduce((sum, n) => sum + Number(at(n, 0.5)), 0)).toBe(15_000)
    const limited = new ApiError({ kind: 'http', status: 429, message: 'slow', retryAfter: 20 })
    expect(nextPollDelay({ ...base, data: undefined, error: limited, failures: 1 })).toBe(20_000)
  })
  it('gives up on 5xx, timeouts and garbled answers after POLL_FAILURE_LIMIT failures in a row', () => {
    const errors = [
      new ApiError({ kind: 'http', status: 500, message: 'boom' }),
      new ApiError({ kind: 'http', status: 429, message: 'busy' }),
      new ApiError({ kind: 'timeout', message: 'slow' }),
      new ApiError({ kind: 'parse', status: 200, message: 'garbled' }),
    ]
    for (const error of errors) {
      expect(nextPollDelay({ ...base, data: undefined, error, failures: POLL_FAILURE_LIMIT - 1 })).toBeGreaterThan(0)
      expect(pollGaveUp(error, POLL_FAILURE_LIMIT - 1)).toBe(false)
      expect(nextPollDelay({ ...base, data: undefined, error, failures: POLL_FAILURE_LIMIT })).toBe(false)
      expect(pollGaveUp(error, POLL_FAILURE_LIMIT)).toBe(true)
    }
  })
  it('never gives up on a network that is gone (that is being offline: polling pauses instead)', () => {
    const gone = new ApiError({ kind: 'network', message: 'no route' })
    expect(pollGaveUp(gone, 50)).toBe(false)
    expect(nextPollDelay({ ...base, data: undefined, error: gone, failures: 50, random: () => 0.5 })).toBe(30_000)
  })
  it('stops on an error that waiting will not fix', () => {
    const gone = new ApiError({ kind: 'http', status: 404, reason: 'TASK_NOT_FOUND', message: 'no' })
    expect(nextPollDelay({ ...base, data: undefined, error: gone, failures: 1 })).toBe(false)
  })
  it('polls a background tab more slowly, but keeps polling', () => {
    expect(nextPollDelay({ ...base, hidden: true, data: result('TASK_STATUS_QUEUED') })).toBe(9_000)
  })
})

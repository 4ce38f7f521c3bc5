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
  it('keeps polling an unknown status, as a queued one', () => {
    expect(nextPollDelay({ ...base, now: 0, data: result('TASK_STATUS_UNKNOWN') })).toBe(4_000)
  })
  it('aims at the end the ETA predicts: three quarters of the time left at a time, then half a second before it', () => {
    const at = (eta: number) => nextPollDelay({ ...base, now: 0, data: result('TASK_STATUS_PROCESSING', { eta }) })
    expect(at(20)).toBe(15_000)
    expect(at(60)).toBe(20_000)
    expect(at(600)).toBe(20_000)
    expect(at(8)).toBe(7_500)
    expect(at(2)).toBe(1_500)
    expect(at(0.1)).toBe(500)
  })
  it('without an ETA, aims at the end the pace of progress predicts', () => {
    const samples = [
      { at: 0, status: 'TASK_STATUS_QUEUED' as const },
      { at: 10_000, status: 'TASK_STATUS_PROCESSING' as const, progress: 20 },
      { at: 20_000, status: 'TASK_STATUS_PROCESSING' as const, progress: 60 },
    ]
    // 40 % in 10 s: 39.5 % left (whole percents: aim at the middle) is 9.875 s, the next poll at three quarters.
    expect(nextPollDelay({ ...base, now: 20_000, data: undefined, samples })).toBe(7_406)
    // From one processing answer the pace is a guess: a second answer soon measures it.
    expect(nextPollDelay({ ...base, now: 10_000, data: undefined, samples: samples.slice(0, 2) })).toBe(3_000)
  })
  it('with nothing to predict from, waits longer the older the task (4 s to 15 s queued, 2 s to 10 s at 0 %)', () => {
    const queued = (age: number) =>
      nextPollDelay({ ...base, now: age, data: undefined, samples: [{ at: 0, status: 'TASK_STATUS_QUEUED' }] })
    // Half as long again as the task's age.
    expect([0, 5_000, 9_000, 60_000].map(queued)).toEqual([4_000, 7_500, 13_500, 15_000])
    const starting = (age: number) =>
      nextPollDelay({
        ...base,
        now: 10_000 + age,
        data: undefined,
        samples: [{ at: 10_000, status: 'TASK_STATUS_PROCESSING', progress: 0 }],
      })
    expect([0, 4_000, 60_000].map(starting)).toEqual([2_000, 4_000, 10_000])
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
    expect(nextPollDelay({ ...base, hidden: true, data: result('TASK_STATUS_QUEUED') })).toBe(12_000)
  })
})

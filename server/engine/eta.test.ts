import { describe, expect, it } from 'vitest'
import { etaSeconds, learnRate, queuedEndMs, renderCost, turnMs, type EtaInput, type Waiting } from './eta.ts'

const PACE = 1500
/** A task in the queue that still owes `paceLeftMs` of queue pacing and renders for `renderMs`. */
const waits = (paceLeftMs: number, renderMs: number): Waiting => ({ paceLeftMs, turnMs: turnMs(renderMs, PACE) })
const queued = (waiting: Waiting[], runningLeftMs: number[] = [], workers = 1): EtaInput => ({
  status: 'TASK_STATUS_QUEUED',
  runningLeftMs,
  waiting,
  workers,
})
const rendering = (over: Partial<Extract<EtaInput, { status: 'TASK_STATUS_PROCESSING' }>> = {}): EtaInput => ({
  status: 'TASK_STATUS_PROCESSING',
  estimateMs: 10_000,
  paceLeftMs: 0,
  elapsedMs: 0,
  fraction: 0,
  ...over,
})

describe('etaSeconds', () => {
  it.each<[string, EtaInput, number]>([
    ['queued, nothing ahead, pacing served: its own render', queued([waits(0, 3000)]), 3],
    ['queued, just submitted: the queue pacing, then its render', queued([waits(PACE, 3000)]), 5],
    // The case a designer saw as 0:04 for 0:11: a render shorter than the pacing still holds the worker the pacing.
    ['queued, a render shorter than the processing pacing: both pacings', queued([waits(PACE, 500)]), 3],
    ['queued second of two just submitted, one worker: the first turn, then its own', queued([waits(PACE, 2000), waits(PACE, 2000)]), 6],
    [
      'queued second of two, pacing longer than the renders: queue pace + two processing paces',
      queued([waits(PACE, 100), waits(PACE, 100)]),
      5,
    ],
    ['queued behind a render with 4 s left: that, then its own', queued([waits(0, 2000)], [4000]), 6],
    ['queued behind two, two workers: they share the wait', queued([waits(0, 2000), waits(0, 2000), waits(0, 2000)], [], 2), 4],
    ['queued with a worker free: only its pacing and its render', queued([waits(1000, 2000)], [5000], 2), 3],
    ['rendering, no progress yet: the learned guess', rendering(), 10],
    ['rendering, the guess has run out: still a second, never zero', rendering({ elapsedMs: 12_000 }), 1],
    ['rendering at 10 %: part guess, part rate', rendering({ estimateMs: 20_000, elapsedMs: 1000, fraction: 0.1 }), 15],
    ['rendering from 25 %: the rate alone', rendering({ elapsedMs: 2000, fraction: 0.5 }), 2],
    ['rendered, pacing left: the pacing', rendering({ estimateMs: 1000, elapsedMs: 500, fraction: 1, paceLeftMs: 1200 }), 2],
    ['at 100 % but not finished: a second, never zero (0 means done)', rendering({ elapsedMs: 5000, fraction: 1 }), 1],
    ['succeeded', { status: 'TASK_STATUS_SUCCEED' }, 0],
    ['failed', { status: 'TASK_STATUS_FAILED' }, 0],
  ])('%s', (_case, input, seconds) => {
    expect(etaSeconds(input)).toBe(seconds)
  })
})

describe('queuedEndMs', () => {
  it('never promises less than the pacing: n tasks in one line end no sooner than a queue pace plus n processing paces', () => {
    for (let n = 1; n <= 5; n++) {
      const line = Array.from({ length: n }, () => waits(PACE, 0))
      expect(queuedEndMs([], line, 1)).toBe(PACE + n * PACE)
    }
  })
})

describe('renderCost', () => {
  it.each([
    [{ width: 1280, height: 720, durationSeconds: 4, sampleCount: 1, twoFrames: false }, 5.6864],
    [{ width: 1280, height: 720, durationSeconds: 4, sampleCount: 1, twoFrames: true }, 8.4512],
    [{ width: 1080, height: 1920, durationSeconds: 8, sampleCount: 2, twoFrames: false }, 37.1776],
  ])('%o costs %f', (job, cost) => {
    expect(renderCost(job)).toBeCloseTo(cost, 6)
  })
})

describe('learnRate', () => {
  it.each([
    ['moves halfway to what the render measured', 600, 3000, 3, 800],
    ['keeps the rate when nothing was rendered', 600, 3000, 0, 600],
  ])('%s', (_case, rate, tookMs, cost, next) => {
    expect(learnRate(rate, tookMs, cost)).toBe(next)
  })
})

import { describe, expect, it } from 'vitest'
import { etaSeconds, learnRate, renderCost, type EtaInput } from './eta.ts'

const queued = (over: Partial<Extract<EtaInput, { status: 'TASK_STATUS_QUEUED' }>> = {}): EtaInput => ({
  status: 'TASK_STATUS_QUEUED',
  estimateMs: 3000,
  paceLeftMs: 0,
  ahead: 0,
  workers: 1,
  ...over,
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
    ['queued, nothing ahead: its own render', queued(), 3],
    ['queued, pacing left: the pacing, then its render', queued({ paceLeftMs: 1500 }), 5],
    ['queued behind two, one worker: both renders first', queued({ ahead: 2, estimateMs: 2000 }), 6],
    ['queued behind two, two workers: they share the wait', queued({ ahead: 2, workers: 2, estimateMs: 2000 }), 4],
    ['rendering, no progress yet: the learned guess', rendering(), 10],
    ['rendering, the guess has run out: still a second, never zero', rendering({ elapsedMs: 12_000 }), 1],
    ['rendering at 10 %: part guess, part rate', rendering({ estimateMs: 20_000, elapsedMs: 1000, fraction: 0.1 }), 15],
    ['rendering from 25 %: the rate alone', rendering({ elapsedMs: 2000, fraction: 0.5 }), 2],
    ['rendered, pacing left: the pacing', rendering({ estimateMs: 1000, elapsedMs: 500, fraction: 1, paceLeftMs: 1200 }), 2],
    ['succeeded', { status: 'TASK_STATUS_SUCCEED' }, 0],
    ['failed', { status: 'TASK_STATUS_FAILED' }, 0],
  ])('%s', (_case, input, seconds) => {
    expect(etaSeconds(input)).toBe(seconds)
  })
})

describe('renderCost', () => {
  it.each([
    [{ width: 1280, height: 720, durationSeconds: 4, sampleCount: 1 }, 3.6864],
    [{ width: 1080, height: 1920, durationSeconds: 8, sampleCount: 2 }, 33.1776],
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

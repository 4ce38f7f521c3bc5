// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { predictedEnd, type PollSample } from './task-end'

const q = (at: number, eta?: number): PollSample => ({ at, status: 'TASK_STATUS_QUEUED', eta })
const p = (at: number, progress: number, eta?: number): PollSample => ({ at, status: 'TASK_STATUS_PROCESSING', progress, eta })

describe('predictedEnd', () => {
  it.each<[string, PollSample[], number | undefined]>([
    ['nothing seen yet', [], undefined],
    ['queued, no ETA: nothing to go by', [q(0), q(3_000)], undefined],
    ['an ETA wins, queued or not', [q(0, 60)], 60_000],
    ['the latest ETA counts', [q(0, 60), p(48_000, 60, 12)], 60_000],
    ['processing at 0 % with no ETA: not yet', [q(0), p(5_000, 0)], undefined],
    // Began between 24 s and 39 s (so at 31.5 s): 30 % in 7.5 s; 69.5 % to go (whole percents: aim at the middle).
    [
      'one processing answer: the pace since the middle of the gap before it',
      [q(0), q(24_000), p(39_000, 30)],
      39_000 + (69.5 * 7_500) / 30,
    ],
    // 30 % → 76 % in 14 s: 23.5 % left at 46/14 %/ms.
    [
      'two processing answers: the pace between the oldest and the newest',
      [q(0), p(39_000, 30), p(53_000, 76)],
      53_000 + (23.5 * 14_000) / 46,
    ],
    ['the first poll already processing: it began at the submit', [p(10_000, 50)], undefined],
    ['processing from the first poll on, then a second answer', [p(10_000, 50), p(15_000, 75)], 15_000 + (24.5 * 5_000) / 25],
    [
      'progress that did not move is not a pace: the pace since it began',
      [q(0), p(10_000, 20), p(20_000, 20)],
      20_000 + (79.5 * 15_000) / 20,
    ],
    ['at 100 % and still processing: the end is now', [p(10_000, 50), p(15_000, 100)], 15_000],
  ])('%s', (_, samples, end) => {
    // To the microsecond: the rates make long fractions.
    expect(predictedEnd(samples)?.at.toFixed(3)).toBe(end?.toFixed(3))
  })

  it('an ETA and a pace between two answers are measured; a pace from one answer is a guess', () => {
    expect(predictedEnd([q(0, 60)])?.measured).toBe(true)
    expect(predictedEnd([p(10_000, 50), p(15_000, 75)])?.measured).toBe(true)
    expect(predictedEnd([q(0), p(10_000, 50)])?.measured).toBe(false)
  })
})

// @vitest-environment node
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nextPollDelay, sampleOf } from './poll-interval'
import type { TaskResult } from './schemas'
import type { PollSample } from './task-end'
import { taskResult } from '../../testing/task-result'

/*
 * The polling rule against simulated tasks: how many task-result requests one task costs, and how late its end is
 * seen. Issue 11's budget for a task of about 60 s (30 s queued, 30 s processing): at most 10 polls, and the video
 * shown within 1 s of the end (the poll that sees it within 750 ms leaves room to fetch and draw it).
 */

interface Provider {
  queuedMs: number
  processingMs: number
  /** Whether answers carry an ETA (the local engine's counts everything left); else progress only. */
  eta: boolean
}

/** What the provider answers at `t` ms after the submit. */
function answer({ queuedMs, processingMs, eta }: Provider, t: number): TaskResult {
  const end = queuedMs + processingMs
  const left = eta ? { eta: Math.max(1, Math.ceil((end - t) / 1000)) } : {}
  if (t >= end) return taskResult({ task: { status: 'TASK_STATUS_SUCCEED', progress_percent: 100 } })
  if (t < queuedMs) return taskResult({ task: { status: 'TASK_STATUS_QUEUED', ...left } })
  const progress = Math.floor(((t - queuedMs) / processingMs) * 100)
  return taskResult({ task: { status: 'TASK_STATUS_PROCESSING', progress_percent: progress, ...left } })
}

/** Polls from the submit (the poller's first fetch) until the end is seen. */
function simulate(provider: Provider, latencyMs = 50) {
  const samples: PollSample[] = []
  let t = 0
  for (let polls = 1; polls < 200; polls++) {
    const data = answer(provider, t)
    t += latencyMs
    samples.push(sampleOf(data, t))
    const delay = nextPollDelay({ data, error: null, failures: 0, hidden: false, samples, now: t, random: () => 0.5 })
    if (delay === false) return { polls, late: t - (provider.queuedMs + provider.processingMs) }
    t += delay
  }
  throw new Error('never ended')
}

describe('the polls one task costs', () => {
  it.each([true, false])(
    'a 60 s task (30 s queued, 30 s processing), ETA sent: %s: at most 10 polls, the end seen within 750 ms',
    (eta) => {
      const { polls, late } = simulate({ queuedMs: 30_000, processingMs: 30_000, eta })
      expect(polls).toBeLessThanOrEqual(10)
      expect(late).toBeLessThanOrEqual(750)
    },
  )

  it('any task up to 5 min: the end seen within a second, at a few polls a minute', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 120_000 }),
        fc.integer({ min: 2_000, max: 180_000 }),
        fc.boolean(),
        (queuedMs, processingMs, eta) => {
          // Without an ETA, a render shorter than the longest wait while queued (15 s) may start and end unseen.
          fc.pre(eta || processingMs >= 25_000)
          const { polls, late } = simulate({ queuedMs, processingMs, eta })
          expect(late).toBeLessThanOrEqual(1_000)
          const minutes = (queuedMs + processingMs) / 60_000
          expect(polls).toBeLessThanOrEqual(Math.ceil(8 + 6 * minutes))
        },
      ),
      { numRuns: 500 },
    )
  })
})

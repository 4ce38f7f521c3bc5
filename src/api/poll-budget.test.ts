// @vitest-environment node
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nextPollDelay, sampleOf, submittedSample } from './poll-interval'
import type { TaskResult } from './schemas'
import type { PollSample } from './task-end'
import { taskResult } from '../../testing/task-result'

/*
 * The polling rule against simulated tasks, as the gateway's runner applies it (server/library/runner): how many
 * task-result requests one task costs, and how late its end is seen. The submit counts as the first sample, so the
 * first poll comes after the rule's first wait. Issue 18's budget for a task of about 60 s: at most 8 polls, with or
 * without an ETA, however many tabs are open (the runner polls, not the tabs), and the end seen within 750 ms, which
 * leaves the archive and the change feed time to show the video within 2 s.
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

/** Polls from the submit until the end is seen. */
function simulate(provider: Provider, latencyMs = 50) {
  const samples: PollSample[] = [submittedSample(0)]
  let t = nextPollDelay({ data: undefined, error: null, failures: 0, hidden: false, samples, now: 0, random: () => 0.5 }) as number
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
  const sixty: [number, number][] = [
    [30_000, 30_000],
    [0, 60_000],
    [5_000, 55_000],
    [45_000, 15_000],
  ]
  it.each(sixty.flatMap(([q, p]) => [true, false].map((eta) => [q, p, eta] as const)))(
    'a 60 s task (%i ms queued, %i ms processing), ETA sent: %s: at most 8 polls, the end seen within 750 ms',
    (queuedMs, processingMs, eta) => {
      const { polls, late } = simulate({ queuedMs, processingMs, eta })
      expect(polls).toBeLessThanOrEqual(8)
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
          // The first poll comes 4 s after the submit: a task done sooner (never a Veo task) is seen at that poll.
          expect(late).toBeLessThanOrEqual(Math.max(1_000, 4_050 - (queuedMs + processingMs)))
          const minutes = (queuedMs + processingMs) / 60_000
          expect(polls).toBeLessThanOrEqual(Math.ceil(8 + 6 * minutes))
        },
      ),
      { numRuns: 500 },
    )
  })
})

// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { POLL_SPACING_MS, pollTurn, resetPollTurns } from './poll-turns'

beforeEach(() => {
  resetPollTurns()
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

describe('pollTurn', () => {
  it('sixteen tasks that all want to poll now go two a second, in the order they asked', async () => {
    const went: { task: number; at: number }[] = []
    const turns = Array.from({ length: 16 }, (_, task) => pollTurn().then(() => went.push({ task, at: Date.now() })))
    await vi.advanceTimersByTimeAsync(0)
    expect(went).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(10_000)
    await Promise.all(turns)
    expect(went.map((w) => w.task)).toEqual(Array.from({ length: 16 }, (_, i) => i))
    // In any second, at most two: the third after any poll comes a full second later.
    for (let i = 2; i < went.length; i++) expect(went[i]!.at - went[i - 2]!.at).toBeGreaterThanOrEqual(1_000)
    expect(went.at(-1)!.at - went[0]!.at).toBe(15 * POLL_SPACING_MS)
  })

  it('a poll after a quiet spell goes at once', async () => {
    await pollTurn()
    await vi.advanceTimersByTimeAsync(2_000)
    let went = false
    void pollTurn().then(() => (went = true))
    await vi.advanceTimersByTimeAsync(0)
    expect(went).toBe(true)
  })

  it('a poll cancelled while it waits rejects, never goes, and gives its place to the next', async () => {
    await pollTurn()
    const abort = new AbortController()
    const waiting = pollTurn(abort.signal)
    const next = pollTurn()
    abort.abort(new Error('cancelled'))
    await expect(waiting).rejects.toThrow('cancelled')
    const start = Date.now()
    await vi.advanceTimersByTimeAsync(POLL_SPACING_MS)
    await next
    expect(Date.now() - start).toBeLessThanOrEqual(POLL_SPACING_MS)
  })

  it('a turn is booked from when the poll before it went, so polls a busy page let slip do not bunch up', async () => {
    const went: number[] = []
    const first = pollTurn().then(() => went.push(Date.now()))
    await vi.advanceTimersByTimeAsync(0)
    await first
    // The page is busy for 2 s: the next poll goes late; the one after it still waits a full spacing after that.
    vi.setSystemTime(Date.now() + 2_000)
    const second = pollTurn().then(() => went.push(Date.now()))
    const third = pollTurn().then(() => went.push(Date.now()))
    await vi.advanceTimersByTimeAsync(2 * POLL_SPACING_MS)
    await Promise.all([second, third])
    expect(went[2]! - went[1]!).toBeGreaterThanOrEqual(POLL_SPACING_MS)
  })
})

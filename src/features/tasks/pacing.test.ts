// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { nextSend, sendSchedule, type Pacing, type PacingInput } from './pacing'

const NOW = 1_000_000
const s = (seconds: number) => NOW + seconds * 1000

describe('nextSend', () => {
  const cases: [string, PacingInput, Pacing][] = [
    ['an empty window sends at once', { sentTimes: [], limit: 10, now: NOW }, { waitMs: 0, reason: 'ready', inWindow: 0 }],
    [
      'room left in the window sends at once',
      { sentTimes: [s(-50), s(-10)], limit: 3, now: NOW },
      { waitMs: 0, reason: 'ready', inWindow: 2 },
    ],
    [
      'a full window waits for its oldest send to leave it',
      { sentTimes: [s(-50), s(-10), s(-5)], limit: 3, now: NOW },
      { waitMs: 10_000, reason: 'window', inWindow: 3 },
    ],
    [
      'the order the sends come in does not matter',
      { sentTimes: [s(-5), s(-50), s(-10)], limit: 3, now: NOW },
      { waitMs: 10_000, reason: 'window', inWindow: 3 },
    ],
    [
      'sends older than the window do not count',
      { sentTimes: [s(-60), s(-61), s(-10)], limit: 2, now: NOW },
      { waitMs: 0, reason: 'ready', inWindow: 1 },
    ],
    [
      'a limit lowered below what the window holds waits until only limit - 1 are left',
      { sentTimes: [s(-50), s(-40), s(-30), s(-20)], limit: 2, now: NOW },
      { waitMs: 30_000, reason: 'window', inWindow: 4 },
    ],
    [
      'a 429 pause longer than the window wait wins',
      { sentTimes: [s(-50)], limit: 1, now: NOW, notBefore: s(20) },
      { waitMs: 20_000, reason: 'paused', inWindow: 1 },
    ],
    [
      'a window wait longer than the pause wins',
      { sentTimes: [s(-10)], limit: 1, now: NOW, notBefore: s(5) },
      { waitMs: 50_000, reason: 'window', inWindow: 1 },
    ],
    [
      'a pause that has ended holds nothing back',
      { sentTimes: [], limit: 5, now: NOW, notBefore: s(-1) },
      { waitMs: 0, reason: 'ready', inWindow: 0 },
    ],
    ['a limit below 1 counts as 1', { sentTimes: [s(-30)], limit: 0, now: NOW }, { waitMs: 30_000, reason: 'window', inWindow: 1 }],
    [
      'another window length is honoured',
      { sentTimes: [s(-1)], limit: 1, now: NOW, windowMs: 5000 },
      { waitMs: 4000, reason: 'window', inWindow: 1 },
    ],
  ]
  it.each(cases)('%s', (_, input, expected) => {
    const got = nextSend(input)
    expect(got.reason).toBe(expected.reason)
    expect(got.inWindow).toBe(expected.inWindow)
    // pacer reads the clock itself; the answer may only err on the side of waiting (by the ms the clock moved).
    expect(got.waitMs).toBeGreaterThanOrEqual(expected.waitMs)
    expect(got.waitMs).toBeLessThanOrEqual(expected.waitMs + 5)
  })
})

/** The most sends any window of `windowMs` (closed at both ends) holds. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let most = 0
  for (let i = 0; i < sorted.length; i++) most = Math.max(most, sorted.filter((t) => t >= sorted[i]! && t <= sorted[i]! + windowMs).length)
  return most
}

describe('pacing a queue', () => {
  it('a 12-item run at 5 per minute never holds more than 5 sends in any 60 s, and sends as soon as it may', () => {
    // Each send takes a varying while, as uploads do; the queue asks before each one.
    const durations = [300, 2000, 50, 800, 1200, 10, 5000, 700, 90, 3000, 400, 60]
    const sent: number[] = []
    let now = NOW
    for (const took of durations) {
      now += nextSend({ sentTimes: sent, limit: 5, now, windowMs: 60_000 + 1 }).waitMs
      sent.push(now)
      now += took
    }
    expect(sent).toHaveLength(12)
    expect(busiestWindow(sent, 60_000)).toBeLessThanOrEqual(5)
    // Not slower than it must be: the first five go at once, the sixth a window after the first.
    expect(sent[5]! - sent[0]!).toBeLessThanOrEqual(60_000 + 1 + 5)
    expect(sent.at(-1)! - sent[0]!).toBeLessThan(2 * 60_000 + 10_000)
  })

  it('a limit that changes mid-run is read at each send and still never overfills a window', () => {
    const sent: number[] = []
    let now = NOW
    for (let i = 0; i < 12; i++) {
      now += nextSend({ sentTimes: sent, limit: i < 6 ? 6 : 3, now, windowMs: 60_001 }).waitMs
      sent.push(now)
      now += 100
    }
    const afterDrop = sent.slice(6)
    // Once the limit is 3, every window that starts at or after the drop holds at most 3 of the new sends.
    expect(busiestWindow(afterDrop, 60_000)).toBeLessThanOrEqual(3)
    expect(busiestWindow(sent, 60_000)).toBeLessThanOrEqual(6)
  })

  it('sendSchedule estimates when the next sends go', () => {
    const at = sendSchedule({ sentTimes: [s(-30)], limit: 2, now: NOW }, 3)
    expect(at[0]).toBe(NOW)
    expect(at[1]).toBeGreaterThanOrEqual(s(30))
    expect(at[1]).toBeLessThanOrEqual(s(30) + 5)
    expect(at[2]).toBeGreaterThanOrEqual(s(60))
    expect(at[2]).toBeLessThanOrEqual(s(60) + 10)
  })
})

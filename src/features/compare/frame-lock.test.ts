// @vitest-environment node
import { assert, constantFrom, double, integer, property } from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CATCH_UP_S,
  FRAME_S,
  LOCKED_S,
  SEEK_AT_S,
  clampFrame,
  correction,
  frameAt,
  frameCount,
  frameMiddle,
  spread,
  timecode,
  type Correction,
} from './frame-lock'

describe('correction', () => {
  it.each<[string, number, number, number, number, Correction]>([
    ['on the master: plays at speed', 2, 2, 1, 8, { kind: 'rate', rate: 1 }],
    ['within the dead band: untouched', 2, 2 + LOCKED_S * 0.9, 1, 8, { kind: 'rate', rate: 1 }],
    ['within the dead band at half speed', 2, 2 - LOCKED_S * 0.9, 0.5, 8, { kind: 'rate', rate: 0.5 }],
    ['one frame behind: a little faster', 2, 2 - FRAME_S, 1, 8, { kind: 'rate', rate: 1.1 }],
    ['one frame ahead: a little slower', 2, 2 + FRAME_S, 1, 8, { kind: 'rate', rate: 0.9 }],
    ['one frame ahead at 2×: the nudge scales with the speed', 2, 2 + FRAME_S, 2, 8, { kind: 'rate', rate: 1.79 }],
    ['250 ms behind: as fast as allowed', 2, 1.75, 1, 8, { kind: 'rate', rate: 1.5 }],
    ['250 ms ahead: as slow as allowed', 2, 2.25, 1, 8, { kind: 'rate', rate: 0.5 }],
    ['half a second off: seeks to the master', 3, 2.5, 1, 8, { kind: 'seek', to: 3 }],
    ['a loop of the master (7.9 s back): seeks', 0.1, 7.99, 1, 8, { kind: 'seek', to: 0.1 }],
    ['the master past a shorter follower: it rests at its end', 4.5, 4, 1, 4, { kind: 'end' }],
    ['half a frame before a short end: rests', 4 - FRAME_S / 4, 3.9, 1, 4, { kind: 'end' }],
    ['no duration known yet: follows', 1, 1, 1, Number.NaN, { kind: 'rate', rate: 1 }],
  ])('%s', (_, master, follower, speed, duration, expected) => {
    // Rates to six places: the rule rounds them to 0.01, in floating point.
    const round = (c: Correction) => (c.kind === 'rate' ? { ...c, rate: Number(c.rate.toFixed(6)) } : c)
    expect(round(correction(master, follower, speed, duration))).toEqual(round(expected))
  })

  it('seeks exactly from SEEK_AT_S', () => {
    expect(correction(1, 1 + SEEK_AT_S, 1, 8).kind).toBe('seek')
    expect(correction(1, 1 + SEEK_AT_S - 0.001, 1, 8).kind).toBe('rate')
  })

  // The rule in motion: a follower that starts off by any drift it would catch up rather than seek is back within a
  // frame in about two seconds of its media time, and stays there, whatever the speed (the nudge is a share of the
  // speed, so at 0.25× it takes four times as long on the wall clock). Simulated at 60 updates a second; the
  // follower's clock moves at the rate the rule gave it at the last update, as a <video> does.
  it('brings any follower back within a frame and keeps it there', () => {
    expect(() =>
      assert(
        property(
          double({ min: -SEEK_AT_S + 0.001, max: SEEK_AT_S - 0.001, noNaN: true }),
          constantFrom<number>(0.25, 0.5, 1, 1.5, 2),
          (drift, speed) => {
            let master = 0.5
            let follower = master + drift
            const dt = 1 / 60
            let rate = speed
            let worstAfter = 0
            const settled = 2.5 / Math.min(speed, 1)
            for (let step = 0; step < 60 * (settled + 4); step++) {
              const c = correction(master, follower, speed, 100)
              if (c.kind === 'seek') follower = c.to
              else if (c.kind === 'rate') rate = c.rate
              master += speed * dt
              follower += rate * dt
              if (step * dt > settled) worstAfter = Math.max(worstAfter, Math.abs(follower - master))
            }
            return worstAfter <= FRAME_S
          },
        ),
      ),
    ).not.toThrow()
  })

  it('catches up in proportion: the time constant is CATCH_UP_S', () => {
    const c = correction(10, 10 - 0.1, 1, 20)
    expect(c).toEqual({ kind: 'rate', rate: Math.round((1 + 0.1 / CATCH_UP_S) * 100) / 100 })
  })
})

describe('frames and timecode', () => {
  it.each([
    [0, 0],
    [FRAME_S * 0.999, 0],
    [49 / 24, 49],
    [2.04, 48],
    [frameMiddle(95), 95],
    [-0.01, 0],
  ])('frameAt(%f) = %i', (time, frame) => expect(frameAt(time)).toBe(frame))

  it('the middle of every frame maps back to that frame', () => {
    expect(() => assert(property(integer({ min: 0, max: 24 * 60 }), (n) => frameAt(frameMiddle(n)) === n))).not.toThrow()
  })

  it.each([
    [4, 96],
    [8, 192],
    [8.04, 193],
    [0, 1],
    [Number.NaN, 1],
    [Infinity, 1],
  ])('a %f s video holds %i frames', (duration, frames) => expect(frameCount(duration)).toBe(frames))

  it('clamps a frame into the video', () => {
    expect(clampFrame(-1, 96)).toBe(0)
    expect(clampFrame(96, 96)).toBe(95)
    expect(clampFrame(40, 96)).toBe(40)
  })

  it.each([
    [2.04, 4, '2.04 s · frame 49 / 96'],
    [0, 4, '0.00 s · frame 1 / 96'],
    [4, 4, '4.00 s · frame 96 / 96'],
    [frameMiddle(191), 8, '7.98 s · frame 192 / 192'],
  ])('timecode(%f, %f) reads "%s"', (time, duration, text) => expect(timecode(time, duration)).toBe(text))

  it('measures the spread of playheads', () => {
    expect(spread([1, 1.02, 0.99])).toBeCloseTo(0.03, 9)
    expect(spread([3])).toBe(0)
    expect(spread([])).toBe(0)
  })
})

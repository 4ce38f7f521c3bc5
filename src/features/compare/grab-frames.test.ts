// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { grabTimes } from './grab-frames'

describe('grabTimes', () => {
  it('seeks to the middle of the first and the last frame', () => {
    // 8 s at 24 fps: frames 0 and 191, shown over [0, 1/24) and [191/24, 192/24).
    const { first, last } = grabTimes(8)
    expect(first).toBeCloseTo(0.5 / 24, 12)
    expect(last).toBeCloseTo(191.5 / 24, 12)
    expect(Math.floor(first * 24)).toBe(0)
    expect(Math.floor(last * 24)).toBe(191)
  })

  it('a one-frame video: both are that frame', () => {
    expect(grabTimes(1 / 24)).toEqual({ first: 0.5 / 24, last: 0.5 / 24 })
  })
})

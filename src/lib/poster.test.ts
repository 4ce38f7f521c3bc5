// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { meanLuma, posterTimes } from './poster'

const pixels = (...rgb: [number, number, number][]) => new Uint8ClampedArray(rgb.flatMap(([r, g, b]) => [r, g, b, 255]))

describe('meanLuma', () => {
  it.each([
    ['black', pixels([0, 0, 0]), 0],
    ['white', pixels([255, 255, 255]), 255],
    ['pure green weighs most', pixels([0, 255, 0]), 0.587 * 255],
    ['half black, half white', pixels([0, 0, 0], [255, 255, 255]), 127.5],
    ['no pixels', new Uint8ClampedArray(), 0],
  ])('%s', (_, data, luma) => expect(meanLuma(data)).toBeCloseTo(luma, 5))
})

describe('posterTimes', () => {
  it('asks for the given moment first, then a quarter, three quarters and near the start', () => {
    expect(posterTimes(4, 8)).toEqual([4, 2, 6, 0.8])
  })
  it('keeps every moment inside the video, and each once', () => {
    expect(posterTimes(10, 4)).toEqual([3.95, 1, 3, 0.4])
    expect(posterTimes(2, 8)).toEqual([2, 6, 0.8])
  })
})

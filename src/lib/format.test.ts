// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { formatBytes, formatClock, formatWait, plural, slug, truncate } from './format'

describe('format', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '2 KB'],
    [5_400_000, '5.1 MB'],
    [20 * 1024 * 1024, '20.0 MB'],
  ])('formatBytes(%i) is %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text)
  })

  it.each([
    [0, '0:00'],
    [4.4, '0:04'],
    [75, '1:15'],
    [-3, '0:00'],
  ])('formatClock(%d) is %s', (seconds, text) => {
    expect(formatClock(seconds)).toBe(text)
  })

  it('slugs a prompt for a file name', () => {
    expect(slug('Slow zoom, in!')).toBe('slow-zoom-in')
    expect(slug('Crème brûlée')).toBe('creme-brulee')
    expect(slug('!!!')).toBe('video')
  })

  it('counts in words', () => {
    expect(plural(1, 'video')).toBe('1 video')
    expect(plural(3, 'video')).toBe('3 videos')
  })
})

describe('formatWait', () => {
  it.each([
    [0, '0 s'],
    [40, '40 s'],
    [59, '59 s'],
    [60, '1:00'],
    [235, '3:55'],
  ])('%d s reads %s', (seconds, text) => expect(formatWait(seconds)).toBe(text))
})

describe('truncate', () => {
  it.each([
    ['short', 10, 'short'],
    ['exactly ten', 11, 'exactly ten'],
    ['a very long prompt', 10, 'a very lo…'],
    ['cut at a space here', 8, 'cut at…'],
  ])('%s at %d reads %s', (text, max, out) => expect(truncate(text, max)).toBe(out))
})

import { describe, expect, it } from 'vitest'
import { megabytes, seconds, sizeOverLimit } from './format.ts'

const MB = 1024 * 1024

describe('seconds', () => {
  it.each([
    [1000, '1 s'],
    [1500, '1.5 s'],
    [200, '0.2 s'],
    [60_000, '60 s'],
    [1049, '1 s'],
    [1050, '1.1 s'],
    [0, '0 s'],
  ])('%i ms → %s', (ms, text) => {
    expect(seconds(ms)).toBe(text)
  })
})

describe('megabytes', () => {
  it.each([
    [20 * MB, {}, '20 MB'],
    [56_186_200, {}, '53.6 MB'],
    [1.25 * MB, {}, '1.3 MB'],
    [20 * MB + 1, { fixed: true }, '20.0 MB'],
    [25.26 * MB, { fixed: true }, '25.3 MB'],
    [0, {}, '0 MB'],
  ])('%i bytes %o → %s', (bytes, options, text) => {
    expect(megabytes(bytes, options)).toBe(text)
  })
})

describe('sizeOverLimit', () => {
  it('shows the measured size with its decimal and the limit as it is', () => {
    expect(sizeOverLimit(20 * MB + 1, 20 * MB)).toBe('20.0 MB, over the 20 MB limit')
    expect(sizeOverLimit(31.46 * MB, 20 * MB)).toBe('31.5 MB, over the 20 MB limit')
  })
})

import { describe, expect, it } from 'vitest'
import { MAX_VARIANTS, expandAlternatives, expandSweep, parseSeeds, parseVariants, summarize } from './sweep'

const MAX_SEED = 4_294_967_295

describe('expandAlternatives', () => {
  it.each([
    ['a {red|blue} kite', ['a red kite', 'a blue kite']],
    ['{a|b} {c|d}', ['a c', 'a d', 'b c', 'b d']],
    ['no groups here', ['no groups here']],
    ['a {lone} brace', ['a {lone} brace']],
    ['a {slow|} pan', ['a slow pan', 'a pan']],
    ['  spaced   out {x|y}  ', ['spaced out x', 'spaced out y']],
  ])('%s', (line, expected) => {
    expect(expandAlternatives(line)).toEqual(expected)
  })

  it('stops a runaway line at the variant limit', () => {
    expect(expandAlternatives('{a|b}{a|b}{a|b}{a|b}{a|b}{a|b}{a|b}').length).toBe(MAX_VARIANTS)
  })
})

describe('parseVariants', () => {
  it('takes each line, expanded, in order, once', () => {
    expect(parseVariants('orbit {left|right}\n\norbit left\nzoom in', 'ignored')).toEqual(['orbit left', 'orbit right', 'zoom in'])
  })
  it('falls back to the Prompt field while the box is empty', () => {
    expect(parseVariants('  \n', ' the prompt ')).toEqual(['the prompt'])
    expect(parseVariants('', '')).toEqual([])
  })
})

describe('parseSeeds', () => {
  it.each([
    ['11, 22, 33', [11, 22, 33]],
    ['11 22;33,', [11, 22, 33]],
    ['5, 5, 6', [5, 6]],
    ['', []],
    [`0, ${MAX_SEED}`, [0, MAX_SEED]],
  ])('"%s" gives %j', (text, seeds) => {
    expect(parseSeeds(text, MAX_SEED)).toEqual({ ok: true, seeds })
  })

  it.each(['12a', '-1', '1.5', String(MAX_SEED + 1)])('names "%s" and the fix', (token) => {
    const parsed = parseSeeds(`7, ${token}`, MAX_SEED)
    expect(parsed).toEqual({ ok: false, message: expect.stringContaining(`"${token}" is not a seed`) })
    expect(parsed.ok || parsed.message).toContain('0 to 4,294,967,295')
  })
})

describe('expandSweep', () => {
  const noDraw = () => {
    throw new Error('no seed should be drawn')
  }

  it('lays 2 prompts × 2 seeds out as a 2×2 board, the seed in each cell', () => {
    const cells = expandSweep({ variantsText: 'a {red|blue} kite', prompt: '', seeds: [11, 22] }, noDraw)
    expect(cells.map(({ row, col, prompt, seed }) => [row, col, prompt, seed])).toEqual([
      [0, 0, 'a red kite', 11],
      [0, 1, 'a red kite', 22],
      [1, 0, 'a blue kite', 11],
      [1, 1, 'a blue kite', 22],
    ])
  })

  it('crosses the varied values with the seeds, value by value', () => {
    const cells = expandSweep(
      { variantsText: '', prompt: 'kite', seeds: [1, 2], vary: { key: 'duration_seconds', values: [4, 8] } },
      noDraw,
    )
    expect(cells.map((c) => [c.col, c.varied?.value, c.seed])).toEqual([
      [0, 4, 1],
      [1, 4, 2],
      [2, 8, 1],
      [3, 8, 2],
    ])
  })

  it('draws a seed for each cell when none are listed, so every cell can be reproduced', () => {
    let next = 100
    const cells = expandSweep({ variantsText: 'a\nb', prompt: '', seeds: [] }, () => next++)
    expect(cells.map((c) => c.seed)).toEqual([100, 101])
  })
})

describe('summarize', () => {
  const cells = expandSweep({ variantsText: 'a\nb', prompt: '', seeds: [1, 2] }, () => 0)

  it('counts tasks, videos and seconds, and prices them when every cell has a price', () => {
    expect(
      summarize(
        cells,
        1,
        () => 8,
        () => 0.2,
      ),
    ).toEqual({ tasks: 4, videos: 4, seconds: 32, cost: 6.4 })
    expect(
      summarize(
        cells,
        2,
        () => 4,
        () => 0.5,
      ),
    ).toEqual({ tasks: 4, videos: 8, seconds: 32, cost: 16 })
  })

  it('leaves the cost out when a price is missing', () => {
    expect(
      summarize(
        cells,
        1,
        () => 8,
        (c) => (c.row === 0 ? 0.2 : undefined),
      ).cost,
    ).toBeUndefined()
    expect(
      summarize(
        [],
        1,
        () => 8,
        () => 0.2,
      ),
    ).toEqual({ tasks: 0, videos: 0, seconds: 0, cost: undefined })
  })
})

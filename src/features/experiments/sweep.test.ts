// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { StoredRequest } from '../../db/db'
import { findModel } from '../../models'
import {
  MAX_VARIANTS,
  expandAlternatives,
  expandSweep,
  parseSeeds,
  parseVariants,
  planSweep,
  randomSeeds,
  summarize,
  varyOptions,
} from './sweep'

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

describe('randomSeeds', () => {
  it('gives n different seeds inside the range', () => {
    const seeds = randomSeeds(5, 0, MAX_SEED)
    expect(seeds).toHaveLength(5)
    expect(new Set(seeds).size).toBe(5)
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s <= MAX_SEED).toBe(true)
  })
  it('reaches both ends of the range, and never asks for more seeds than the range holds', () => {
    let i = 0
    const edges = [0, 0.999_999_9]
    expect(randomSeeds(2, 10, 12, () => edges[i++ % 2]!).sort()).toEqual([10, 12])
    expect(randomSeeds(9, 1, 3).sort()).toEqual([1, 2, 3])
    expect(randomSeeds(0, 0, MAX_SEED)).toEqual([])
  })
})

describe('varyOptions', () => {
  const veo31 = findModel('veo-3.1-generate-firstlastframe')
  it("offers the model's own options, or the catalogue's models", () => {
    expect(varyOptions('duration_seconds', veo31)).toEqual([
      { value: 4, label: '4 s' },
      { value: 6, label: '6 s' },
      { value: 8, label: '8 s' },
    ])
    expect(varyOptions('modelId', veo31).map((o) => o.label)).toEqual(['Veo 3.0', 'Veo 3.1'])
  })
})

describe('planSweep', () => {
  const frame = (name: string) => ({ kind: 'url' as const, url: `https://example.com/${name}.png` })
  const base: StoredRequest = {
    modelId: 'veo-3.1-generate-firstlastframe',
    params: { prompt: 'ignored', duration_seconds: 8, seed: 5 },
    frames: { first: frame('a'), last: frame('b') },
  }

  it('gives the rows, the columns and each cell its prompt and seed', () => {
    const plan = planSweep(
      base,
      expandSweep({ variantsText: 'a {red|blue} kite', prompt: '', seeds: [11, 22] }, () => 0),
    )
    expect(plan.rows).toEqual(['a red kite', 'a blue kite'])
    expect(plan.columns).toEqual([
      { seed: 11, varied: undefined },
      { seed: 22, varied: undefined },
    ])
    expect(plan.cells.map(({ cell, request }) => [cell.row, cell.col, request.params.prompt, request.params.seed])).toEqual([
      [0, 0, 'a red kite', 11],
      [0, 1, 'a red kite', 22],
      [1, 0, 'a blue kite', 11],
      [1, 1, 'a blue kite', 22],
    ])
    expect(plan.cells[0]!.request.frames).toEqual(base.frames)
  })

  it('sends each model only the frames it takes when the model varies', () => {
    const vary = { key: 'modelId' as const, values: ['veo-3.0-generate-preview-img2video', 'veo-3.1-generate-firstlastframe'] }
    const plan = planSweep(
      base,
      expandSweep({ variantsText: '', prompt: 'kite', seeds: [1], vary }, () => 0),
    )
    expect(plan.cells.map((c) => [c.request.modelId, Object.keys(c.request.frames)])).toEqual([
      ['veo-3.0-generate-preview-img2video', ['first']],
      ['veo-3.1-generate-firstlastframe', ['first', 'last']],
    ])
  })
})

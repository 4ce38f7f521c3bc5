// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { diffSummary, sideParts, toDiffParts, wordDiffParts } from './word-diff'

const change = (value: string, kind: 'same' | 'added' | 'removed' = 'same') => ({
  value,
  added: kind === 'added',
  removed: kind === 'removed',
  count: 1,
})

describe('toDiffParts', () => {
  it('moves the spaces around a changed run into the kept text, and merges runs of one kind', () => {
    expect(
      toDiffParts([change('a '), change(' red ', 'removed'), change('big', 'removed'), change(' kite'), change(' at dusk', 'added')]),
    ).toEqual([
      { kind: 'same', text: 'a  ' },
      { kind: 'removed', text: 'red big' },
      { kind: 'same', text: ' kite ' },
      { kind: 'added', text: 'at dusk' },
    ])
  })

  it('drops empty runs', () => {
    expect(toDiffParts([change(''), change('   ', 'added'), change('x')])).toEqual([{ kind: 'same', text: '   x' }])
  })
})

describe('wordDiffParts', () => {
  it.each([
    [
      'a red kite over the sea',
      'a blue kite over the sea at dusk',
      [
        { kind: 'same', text: 'a ' },
        { kind: 'removed', text: 'red' },
        { kind: 'added', text: 'blue' },
        { kind: 'same', text: ' kite over the sea ' },
        { kind: 'added', text: 'at dusk' },
      ],
    ],
    [
      'slow push in',
      'Slow push in, golden light',
      [
        { kind: 'removed', text: 'slow' },
        { kind: 'added', text: 'Slow' },
        { kind: 'same', text: ' push in' },
        { kind: 'added', text: ', golden light' },
      ],
    ],
    ['orbit left', 'orbit left', [{ kind: 'same', text: 'orbit left' }]],
    ['orbit left', '', [{ kind: 'removed', text: 'orbit left' }]],
  ])('%j → %j', (before, after, parts) => {
    expect(wordDiffParts(before, after)).toEqual(parts)
  })
})

describe('sideParts', () => {
  const parts = wordDiffParts('a red kite', 'a blue kite')
  it('keeps the removed words on the old side and the added ones on the new side', () => {
    expect(
      sideParts(parts, 'before')
        .map((p) => p.text)
        .join(''),
    ).toBe('a red kite')
    expect(
      sideParts(parts, 'after')
        .map((p) => p.text)
        .join(''),
    ).toBe('a blue kite')
    expect(sideParts(parts, 'before').some((p) => p.kind === 'added')).toBe(false)
    expect(sideParts(parts, 'after').some((p) => p.kind === 'removed')).toBe(false)
  })

  it.each([
    ['kite slow', 'blue kite over the sea, slow push in'],
    ['a kite', 'a blue kite'],
    ['  orbit left, then stop ', 'orbit right'],
    ['slow push in', 'Slow push in, golden light'],
  ])('reads as its own prompt, spaces aside: %j / %j', (before, after) => {
    const both = wordDiffParts(before, after)
    const squash = (s: string) => s.trim().replace(/\s+/g, ' ')
    expect(
      sideParts(both, 'before')
        .map((p) => p.text)
        .join(''),
    ).toBe(squash(before))
    expect(
      sideParts(both, 'after')
        .map((p) => p.text)
        .join(''),
    ).toBe(squash(after))
  })

  it('keeps the kinds of the runs it shows', () => {
    expect(sideParts(wordDiffParts('kite slow', 'blue kite over the sea, slow'), 'before')).toEqual([{ kind: 'same', text: 'kite slow' }])
    expect(sideParts(wordDiffParts('kite slow', 'blue kite, slow'), 'after')).toEqual([
      { kind: 'added', text: 'blue' },
      { kind: 'same', text: ' kite' },
      { kind: 'added', text: ',' },
      { kind: 'same', text: ' slow' },
    ])
  })
})

describe('diffSummary', () => {
  it.each([
    ['a red kite', 'a blue kite at dusk', '1 word removed · 3 added'],
    ['a red big kite', 'a kite', '2 words removed'],
    ['a kite', 'a kite at dusk', '2 words added'],
    ['a kite', 'a kite!', 'Only punctuation differs'],
    ['a kite', 'a kite', 'Same words'],
  ])('%j → %j: %s', (before, after, summary) => {
    expect(diffSummary(wordDiffParts(before, after))).toBe(summary)
  })
})

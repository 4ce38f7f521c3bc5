// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { piecesOf, withKept } from './virtual-list'

/** Items of 100 px with a 10 px gap after 4 px of padding, as the virtualizer places them. */
const at = (index: number) => ({ index, start: 4 + index * 110, end: 4 + index * 110 + 100 })
/** Ten such items: their last ends at 1094, and the list ends 4 px later. */
const layout = { count: 10, total: 1098, gap: 10, paddingStart: 4, paddingEnd: 4 }

/** The flow's length: padding, then each piece with the gap between pieces. */
const flowLength = (pieces: ReturnType<typeof piecesOf>) =>
  layout.paddingStart +
  pieces.reduce((sum, p) => sum + (p.kind === 'spacer' ? p.size : p.item.end - p.item.start), 0) +
  (pieces.length - 1) * layout.gap +
  layout.paddingEnd

describe('piecesOf', () => {
  it('draws everything with no spacer when every item is drawn', () => {
    const pieces = piecesOf([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(at), layout)
    expect(pieces.every((p) => p.kind === 'item')).toBe(true)
  })

  it('stands a spacer for the items before and after the drawn ones, so each drawn item lands where it is placed', () => {
    const pieces = piecesOf([3, 4, 5].map(at), layout)
    expect(pieces.map((p) => (p.kind === 'spacer' ? `${p.key}:${p.size}` : p.item.index))).toEqual(['before:320', 3, 4, 5, 'after:430'])
    // Before item 3: padding, the spacer and a gap bring it to its start.
    expect(layout.paddingStart + 320 + layout.gap).toBe(at(3).start)
    expect(flowLength(pieces)).toBe(layout.total)
  })

  it('puts a spacer between two runs: the item kept for the focus, and the ones on screen', () => {
    const pieces = piecesOf([1, 6, 7].map(at), layout)
    expect(pieces.map((p) => (p.kind === 'spacer' ? `${p.key}:${p.size}` : p.item.index))).toEqual([
      'before:100',
      1,
      'after-1:430',
      6,
      7,
      'after:210',
    ])
    expect(flowLength(pieces)).toBe(layout.total)
  })

  it('never makes a spacer of negative size (items not measured yet, or measured at 0)', () => {
    const flat = (index: number) => ({ index, start: 4, end: 4 })
    const pieces = piecesOf([flat(2)], { ...layout, total: 8 })
    expect(pieces.filter((p) => p.kind === 'spacer').map((p) => p.kind === 'spacer' && p.size)).toEqual([0, 0])
  })

  it('draws nothing for an empty list', () => {
    expect(piecesOf([], { ...layout, count: 0, total: 8 })).toEqual([])
  })
})

describe('withKept', () => {
  it('adds the focused item, in order, where the range left it out', () => {
    expect(withKept([5, 6, 7], 1, 10)).toEqual([1, 5, 6, 7])
    expect(withKept([5, 6, 7], 9, 10)).toEqual([5, 6, 7, 9])
  })

  it('changes nothing when the focused item is drawn, when nothing holds the focus, or when it is gone', () => {
    expect(withKept([5, 6, 7], 6, 10)).toEqual([5, 6, 7])
    expect(withKept([5, 6, 7], undefined, 10)).toEqual([5, 6, 7])
    expect(withKept([5, 6, 7], 12, 10)).toEqual([5, 6, 7])
  })
})

// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { cellsOfRow, columnsFor, columnWidth, estimateRowHeight, rowCount, rowOf } from './grid-layout'

describe('columnsFor: as repeat(auto-fill, minmax(260px, 1fr)) with a 12 px gap inside 4 px of padding', () => {
  it.each([
    [0, 1], // not laid out (hidden, jsdom): one column, never none
    [200, 1], // narrower than a card: still one
    [268, 1], // exactly one card and the padding
    [539, 1], // one short of two cards and a gap
    [540, 2], // 2 × 260 + 12 + 8
    [812, 3], // 3 × 260 + 2 × 12 + 8
    [1028, 3], // the gallery at 1440 px
    [1084, 4],
  ])('%i px holds %i columns', (width, columns) => expect(columnsFor(width)).toBe(columns))
})

describe('the grid of cells', () => {
  it('shares the width left over between the columns', () => {
    expect(columnWidth(1028, 3)).toBeCloseTo((1028 - 8 - 24) / 3)
    expect(columnWidth(268, 1)).toBe(260)
  })

  it('counts rows, and finds the row of a card and the cards of a row (the last row may be short)', () => {
    expect(rowCount(0, 3)).toBe(0)
    expect(rowCount(1000, 3)).toBe(334)
    expect(rowOf(0, 3)).toBe(0)
    expect(rowOf(2, 3)).toBe(0)
    expect(rowOf(3, 3)).toBe(1)
    expect(rowOf(999, 3)).toBe(333)
    expect(cellsOfRow(1, 3, 1000)).toEqual({ start: 3, end: 6 })
    expect(cellsOfRow(333, 3, 1000)).toEqual({ start: 999, end: 1000 })
  })

  it('guesses a row from its tallest card: 16:9 media, or 9:16 capped at 420 px, and the text under it', () => {
    expect(estimateRowHeight(320, false)).toBe(180 + 176)
    expect(estimateRowHeight(180, true)).toBe(320 + 176)
    expect(estimateRowHeight(320, true)).toBe(420 + 176)
  })
})

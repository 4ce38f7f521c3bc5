// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { highlightParts } from './prompt-highlight'

const marks = (text: string, query: string) =>
  highlightParts(text, query)
    .filter((p) => p.match)
    .map((p) => p.text)

describe('highlightParts', () => {
  it('marks every occurrence of every word, case aside, and keeps the whole text', () => {
    const parts = highlightParts('Orbit left, then orbit right', 'orbit RIGHT')
    expect(parts.map((p) => p.text).join('')).toBe('Orbit left, then orbit right')
    expect(parts.filter((p) => p.match).map((p) => p.text)).toEqual(['Orbit', 'orbit', 'right'])
  })

  it('finds accented words by their plain letters, and marks the accented characters', () => {
    expect(marks('Un café à Paris', 'cafe a')).toEqual(['café', 'à', 'a'])
  })

  it('marks overlapping words once', () => {
    expect(highlightParts('sunset', 'sun sunset')).toEqual([{ text: 'sunset', match: true }])
  })

  it('marks nothing without a query, and nothing that is not there', () => {
    expect(highlightParts('slow push in', '  ')).toEqual([{ text: 'slow push in', match: false }])
    expect(marks('slow push in', 'zoom')).toEqual([])
    expect(highlightParts('', 'zoom')).toEqual([])
  })
})

// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { matchesFilters, matchesSearch, type GalleryFilters } from './sample-filter'

const item = {
  request: { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'Orbit left around the tower' }, frames: {} },
  provider: 'local' as const,
  seed: '123',
  favourite: 0 as const,
}

describe('matchesSearch', () => {
  it.each([
    ['', true],
    ['orbit', true],
    ['  TOWER ', true],
    ['123', true],
    ['seed 123', true],
    ['Seed 123', true],
    ['seed:123', true],
    ['seed #123', true],
    ['seed123', true],
    ['12', false],
    ['seed 12', false],
    ['seed 1234', false],
    ['seed', false],
    ['pan right', false],
  ])('"%s" → %s', (text, found) => {
    expect(matchesSearch(item, text)).toBe(found)
  })

  it('finds a prompt that names a seed as words', () => {
    expect(matchesSearch({ ...item, request: { ...item.request, params: { prompt: 'seed 9 sprouts' } } }, 'seed 9')).toBe(true)
  })
})

describe('matchesFilters', () => {
  const all: GalleryFilters = { modelId: 'all', provider: 'all', favouritesOnly: false, search: '' }
  it.each([
    [{}, true],
    [{ provider: 'local' }, true],
    [{ provider: 'jiekou' }, false],
    [{ modelId: 'veo-3.0-generate-preview-img2video' }, false],
    [{ favouritesOnly: true }, false],
    [{ search: 'seed 123', provider: 'local' }, true],
  ] as const)('%o → %s', (patch, kept) => {
    expect(matchesFilters(item, { ...all, ...patch })).toBe(kept)
  })
})

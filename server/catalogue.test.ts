import { describe, expect, it } from 'vitest'
import { models } from '../src/models/index.ts'
import { loadCatalogue } from './catalogue.ts'

describe('the catalogue on both sides', () => {
  it('gives the gateway the same models, in the same order, as the studio', async () => {
    const served = await loadCatalogue()
    expect(served.map((m) => [m.id, m.path])).toEqual(models.map((m) => [m.id, m.path]))
    expect(served.length).toBeGreaterThanOrEqual(2)
  })
})

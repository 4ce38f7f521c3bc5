// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { sampleRecord } from '../../../testing/sample-record'
import { downloadName, sampleOrdinals, seedLabel } from './sample-media'

const request = { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'Slow zoom, in!' }, frames: {} }

describe('downloadName', () => {
  it.each([
    ['a local render says so', { provider: 'local', seed: '42', index: 0 }, 'slow-zoom-in-local-preview-seed-42.mp4'],
    ['a Veo result does not', { provider: 'jiekou', seed: '42', index: 0 }, 'slow-zoom-in-seed-42.mp4'],
    ['the second of a task that shares a seed', { provider: 'jiekou', seed: '42', index: 1 }, 'slow-zoom-in-seed-42-2.mp4'],
    ['no seed known', { provider: 'local', seed: undefined, index: 0 }, 'slow-zoom-in-local-preview.mp4'],
  ] as const)('%s', (_, facts, name) => {
    expect(downloadName(sampleRecord({ request, ...facts }))).toBe(name)
  })
})

describe('numbering', () => {
  it('numbers the samples of a task that made several, and leaves a lone sample alone', () => {
    const samples = [
      sampleRecord({ taskRecordId: 'local:four', index: 0 }),
      sampleRecord({ taskRecordId: 'local:four', index: 1 }),
      sampleRecord({ taskRecordId: 'local:four', index: 3 }),
      sampleRecord({ taskRecordId: 'local:one', index: 0 }),
    ]
    expect(Object.fromEntries(sampleOrdinals(samples))).toEqual({
      'local:four#0': '1 of 4',
      'local:four#1': '2 of 4',
      'local:four#3': '4 of 4',
    })
  })

  it.each([
    ['12345', '2 of 4', 'seed 12345 · 2 of 4'],
    ['12345', undefined, 'seed 12345'],
    [undefined, undefined, 'seed ?'],
  ] as const)('seed %s, %s → %s', (seed, ordinal, label) => {
    expect(seedLabel(seed, ordinal)).toBe(label)
  })
})

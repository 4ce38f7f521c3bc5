// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { ExperimentColumn } from '../../db/db'
import { columnHeader, ordinal } from './columns'

describe('columnHeader', () => {
  it.each<[ExperimentColumn, string]>([
    [{ seed: 11 }, 'Seed 11'],
    [{ seed: 0 }, 'Seed 0'],
    [{ seed: 11, varied: { key: 'duration_seconds', value: 4 } }, 'Duration 4 s · Seed 11'],
    [{ seed: 11, varied: { key: 'resolution', value: '1080p' } }, 'Resolution 1080p · Seed 11'],
    [{ seed: 22, varied: { key: 'aspect_ratio', value: '9:16' } }, 'Aspect ratio 9:16 · Seed 22'],
    [{ seed: 11, varied: { key: 'modelId', value: 'veo-3.1-generate-firstlastframe' } }, 'Model Veo 3.1 · Seed 11'],
    // A model the catalogue no longer lists is named by its id; a value it has no option for, as stored.
    [{ seed: 11, varied: { key: 'modelId', value: 'veo-9' } }, 'Model veo-9 · Seed 11'],
    [{ seed: 11, varied: { key: 'duration_seconds', value: 5 } }, 'Duration 5 · Seed 11'],
  ])('%j → %s', (column, label) => {
    expect(columnHeader(column)).toBe(label)
  })
})

describe('ordinal', () => {
  it.each([
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [10, '10th'],
    [11, '11th'],
    [12, '12th'],
    [13, '13th'],
    [21, '21st'],
    [22, '22nd'],
    [103, '103rd'],
    [111, '111th'],
  ])('%i → %s', (n, text) => {
    expect(ordinal(n)).toBe(text)
  })
})

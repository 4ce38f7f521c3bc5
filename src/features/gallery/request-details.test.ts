// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { aspectRatio, durationSeconds, generateAudio, negativePrompt, personGeneration, seed } from '../../models/fields'
import { formatParam } from './request-details'

describe('formatParam', () => {
  it.each([
    ['an empty text', negativePrompt, '', 'None'],
    ['a missing value', seed, undefined, 'None'],
    ['a seed', seed, 42, '42'],
    ['a duration, with its unit', durationSeconds, 4, '4 s'],
    ['an enum, by its label', personGeneration, 'dont_allow', 'No people'],
    ['an aspect ratio', aspectRatio, '9:16', '9:16'],
    ['a switch on', generateAudio, true, 'On'],
    ['a switch off', generateAudio, false, 'Off'],
  ] as const)('%s', (_, field, value, shown) => {
    expect(formatParam(field, value)).toBe(shown)
  })
})

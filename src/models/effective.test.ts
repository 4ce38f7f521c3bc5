// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { aspectValue, effectiveParams, effectiveValue, outputSize, videoShape } from './effective'
import { findModel } from './index'
import { enhancePrompt, prompt } from './fields'

const v30 = findModel('veo-3.0-generate-preview-img2video')!
const v31 = findModel('veo-3.1-generate-firstlastframe')!

describe('effectiveValue', () => {
  it.each([
    ['a stated value wins', { field: v31.fields.find((f) => f.key === 'duration_seconds')!, stated: 4, expected: 4 }],
    [
      'an unstated value takes the default',
      { field: v31.fields.find((f) => f.key === 'duration_seconds')!, stated: undefined, expected: 8 },
    ],
    ['empty text counts as unstated', { field: prompt, stated: '   ', expected: undefined }],
    ['text is trimmed', { field: prompt, stated: '  kite ', expected: 'kite' }],
    ['a lock beats the stated value', { field: v31.fields.find((f) => f.key === 'enhance_prompt')!, stated: false, expected: true }],
    ['an unlocked boolean keeps false', { field: enhancePrompt, stated: false, expected: false }],
  ])('%s', (_, { field, stated, expected }) => {
    expect(effectiveValue(field, stated)).toBe(expected)
  })
})

describe('effectiveParams', () => {
  it('fills every default of the model and leaves out fields with none', () => {
    const params = effectiveParams(v31, { prompt: 'kite', duration_seconds: 4 })
    expect(params).toMatchObject({ prompt: 'kite', duration_seconds: 4, resolution: '720p', enhance_prompt: true })
    expect(Object.keys(params)).toHaveLength(v31.fields.length - 2) // no seed, no negative prompt
  })
  it('gives 3.0 no audio default: the designer must state it', () => {
    expect(effectiveParams(v30, {})).not.toHaveProperty('generate_audio')
  })
})

describe('videoShape', () => {
  it('reads the stated shape', () => {
    expect(
      videoShape(v31, { aspect_ratio: '9:16', resolution: '1080p', duration_seconds: 4, sample_count: 3, generate_audio: true }),
    ).toEqual({
      aspectRatio: '9:16',
      resolution: '1080p',
      durationSeconds: 4,
      sampleCount: 3,
      audio: true,
    })
  })
  it('falls back to the catalogue defaults, also for a model the studio no longer lists', () => {
    const defaults = { aspectRatio: '16:9', resolution: '720p', durationSeconds: 8, sampleCount: 1, audio: false }
    expect(videoShape(v30, {})).toEqual(defaults)
    expect(videoShape(undefined, {})).toEqual(defaults)
  })
})

describe('outputSize and aspectValue', () => {
  it.each([
    ['720p', '16:9', 1280, 720],
    ['720p', '9:16', 720, 1280],
    ['1080p', '16:9', 1920, 1080],
    ['1080p', '9:16', 1080, 1920],
  ] as const)('%s %s is %i×%i', (res, aspect, width, height) => {
    expect(outputSize(res, aspect)).toEqual({ width, height })
    expect(aspectValue(aspect)).toBeCloseTo(width / height, 6)
  })
})

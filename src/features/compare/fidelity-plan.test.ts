// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { sampleRecord } from '../../../testing/sample-record'
import type { FrameRef } from '../../db/db'
import { fidelityHeatUrl, fidelityLine, fidelityPlan, formatPsnr, formatSsim, sentCrop } from './fidelity-plan'

const stored = (hash: string): FrameRef => ({
  kind: 'stored',
  hash,
  mime: 'image/png',
  width: 1280,
  height: 720,
  bytes: 1,
  name: `${hash}.png`,
})
const link: FrameRef = { kind: 'url', url: 'https://example.com/f.png' }
const sample = (frames: { first?: FrameRef; last?: FrameRef }, isStored = true) =>
  sampleRecord({ stored: isStored, request: { modelId: 'veo-3.1-generate-firstlastframe', params: {}, frames } })

describe('fidelityPlan', () => {
  it.each([
    ['first and last stored: both', { first: stored('a'), last: stored('b') }, { kind: 'measure', first: stored('a'), last: stored('b') }],
    ['first only: the first', { first: stored('a') }, { kind: 'measure', first: stored('a') }],
    ['a link first and a stored last: the last', { first: link, last: stored('b') }, { kind: 'measure', last: stored('b') }],
    [
      'a link first: nothing to measure against',
      { first: link },
      { kind: 'unavailable', reason: 'The first frame was a link, not kept in the library.' },
    ],
    ['a link last only', { last: link }, { kind: 'unavailable', reason: 'The last frame was a link, not kept in the library.' }],
    ['no frames', {}, { kind: 'unavailable', reason: 'This sample was made without frames.' }],
  ] as const)('%s', (_, frames, plan) => {
    expect(fidelityPlan(sample(frames))).toEqual(plan)
  })

  it('waits for the stored copy: the provider URL cannot be read', () => {
    expect(fidelityPlan(sample({ first: stored('a') }, false))).toEqual({
      kind: 'unavailable',
      reason: 'The video is not kept in the library yet.',
    })
  })
})

describe('wording', () => {
  it.each([
    [38.24, '38.2 dB'],
    [36, '36.0 dB'],
    [Infinity, '∞ dB'],
  ])('PSNR %f reads %s', (db, text) => expect(formatPsnr(db)).toBe(text))

  it('SSIM has three decimals', () => {
    expect(formatSsim(0.98149)).toBe('0.981')
    expect(formatSsim(1)).toBe('1.000')
  })

  it('one line a frame', () => {
    expect(fidelityLine('first', { psnr: 38.2, ssim: 0.981, heatUrl: 'blob:h' })).toBe('First 38.2 dB · SSIM 0.981')
    expect(fidelityLine('last', { psnr: Infinity, ssim: 1, heatUrl: 'blob:h' })).toBe('Last ∞ dB · SSIM 1.000')
  })
})

describe('fidelityHeatUrl', () => {
  it('is the measured side’s heat map, and nothing before', () => {
    const done = { state: 'done', first: { psnr: 30, ssim: 0.9, heatUrl: 'blob:first' }, ms: 1 } as const
    expect(fidelityHeatUrl(done, 'first')).toBe('blob:first')
    expect(fidelityHeatUrl(done, 'last')).toBeUndefined()
    expect(fidelityHeatUrl({ state: 'measuring' }, 'first')).toBeUndefined()
    expect(fidelityHeatUrl(undefined, 'first')).toBeUndefined()
  })
})

describe('sentCrop: the part of the upload the model saw, as the studio sent it', () => {
  const frame = (width: number, height: number, crop?: { x: number; y: number; w: number; h: number }): FrameRef & { kind: 'stored' } => ({
    kind: 'stored',
    hash: 'h',
    mime: 'image/png',
    width,
    height,
    bytes: 1,
    name: 'f.png',
    ...(crop && { crop }),
  })
  const request = (params: Record<string, string | number>) => ({ modelId: 'veo-3.1-generate-firstlastframe', params })

  it('4000×3000 into 16:9: the full width and 75 % of the height, centred', () => {
    expect(sentCrop(frame(4000, 3000), request({ aspect_ratio: '16:9' }))).toEqual({ x: 0, y: 0.125, w: 1, h: 0.75 })
  })

  it('a crop the designer moved to the top is kept at the top', () => {
    expect(sentCrop(frame(4000, 3000, { x: 0, y: 0, w: 1, h: 0.75 }), request({ aspect_ratio: '16:9', resolution: '1080p' }))).toEqual({
      x: 0,
      y: 0,
      w: 1,
      h: 0.75,
    })
  })

  it('a portrait video keeps the middle of a landscape frame', () => {
    const kept = sentCrop(frame(1920, 1080), request({ aspect_ratio: '9:16' }))
    expect(kept.w).toBeCloseTo((1080 * 9) / 16 / 1920, 9)
    expect(kept.x + kept.w / 2).toBeCloseTo(0.5, 9)
  })

  it('a frame at the video’s aspect is kept whole; the model’s default aspect counts when none is set', () => {
    expect(sentCrop(frame(1280, 720), request({}))).toEqual({ x: 0, y: 0, w: 1, h: 1 })
  })
})

// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { StoredRequest } from '../../db/db'
import { findModel } from '../../models'
import { blockingReason, describeSent, previewBody, seedProblem, toCurl } from './request-check'

const frame = { kind: 'stored', hash: 'h', mime: 'image/png', width: 1920, height: 1080, bytes: 1_500_000, name: 'a.png' } as const
const base: StoredRequest = {
  modelId: 'veo-3.1-generate-firstlastframe',
  params: { prompt: 'slow zoom in', generate_audio: false },
  frames: { first: frame, last: frame },
}

describe('request checks', () => {
  it('names the missing frame', () => {
    expect(blockingReason({ ...base, frames: { first: frame } })).toBe('Add a last frame.')
    expect(blockingReason({ ...base, frames: {} })).toBe('Add a first frame and a last frame.')
  })
  it('asks for a prompt', () => {
    expect(blockingReason({ ...base, params: { prompt: '   ' } })).toBe('Write a prompt.')
  })
  it('names a bad field', () => {
    expect(blockingReason({ ...base, params: { ...base.params, seed: -1 } })).toBe('Seed must be a whole number from 0 to 4,294,967,295.')
  })
  it('is ready when the request is complete', () => {
    expect(blockingReason(base)).toBeUndefined()
  })
  it('elides base64 in the preview and keeps the key out of curl', () => {
    const model = findModel(base.modelId)!
    const body = previewBody(model, base)
    // 1920×1080 for a 720p video: scaled to the output size, not cropped.
    expect(body.image).toBe('<base64 1280×720, scaled from 1920×1080, elided>')
    const at1080 = previewBody(model, { ...base, params: { ...base.params, resolution: '1080p' } })
    expect(at1080.image).toBe('<base64 1920×1080 PNG, 1.4 MB, as stored, elided>')
    const curl = toCurl(model)
    expect(curl).toContain("curl -X POST 'https://api.jiekou.ai/v3/async/veo-3.1-generate-firstlastframe'")
    expect(curl).toContain('Bearer $JIEKOU_API_KEY')
    // Short and runnable: the body is the downloaded file, never an elided placeholder.
    expect(curl.endsWith('--data @request.json')).toBe(true)
    expect(curl).not.toContain('elided')
  })
  it('says what is sent for a frame that is cropped and scaled, before and after its bytes are known', () => {
    const model = findModel(base.modelId)!
    const big = { ...frame, mime: 'image/jpeg', width: 4000, height: 3000, bytes: 4_000_000 } as const
    const request = { ...base, params: { ...base.params, resolution: '720p' }, frames: { first: big, last: frame } }
    expect(describeSent(model, request, big)).toBe('1280×720, cropped from 4000×3000')
    expect(describeSent(model, request, big, { mime: 'image/jpeg', bytes: 217_088 })).toBe('1280×720 JPEG, 212 KB, cropped from 4000×3000')
    expect(previewBody(model, request, { first: { mime: 'image/jpeg', bytes: 217_088 } }).image).toBe(
      '<base64 1280×720 JPEG, 212 KB, cropped from 4000×3000, elided>',
    )
    expect(describeSent(model, request, { kind: 'url', url: 'https://example.com/f.png' })).toMatch(/^sent as its URL/)
  })
  it('reads the seed range the same way in every message', () => {
    const seed = findModel(base.modelId)!.fields.find((f) => f.key === 'seed')
    if (seed?.kind !== 'integer') throw new Error('no seed field')
    expect(seedProblem(seed, 4_294_967_296)).toBe('Seed must be a whole number from 0 to 4,294,967,295.')
    expect(seedProblem(seed, 1.5)).toBe('Seed must be a whole number from 0 to 4,294,967,295.')
    expect(seedProblem(seed, 42)).toBeUndefined()
    expect(seedProblem(seed, undefined)).toBeUndefined()
  })
})

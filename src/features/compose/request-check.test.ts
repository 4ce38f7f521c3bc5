import { describe, expect, it } from 'vitest'
import type { StoredRequest } from '../../db/db'
import { findModel } from '../../models'
import { blockingReason, previewBody, toCurl } from './request-check'

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
    expect(blockingReason({ ...base, params: { ...base.params, seed: -1 } })).toContain('seed must be a whole number')
  })
  it('is ready when the request is complete', () => {
    expect(blockingReason(base)).toBeUndefined()
  })
  it('elides base64 in the preview and keeps the key out of curl', () => {
    const model = findModel(base.modelId)!
    const body = previewBody(model, base)
    expect(body.image).toBe('<base64 PNG 1920×1080, 1.4 MB, elided>')
    const curl = toCurl(model, body)
    expect(curl).toContain("curl -X POST 'https://api.jiekou.ai/v3/async/veo-3.1-generate-firstlastframe'")
    expect(curl).toContain('Bearer $JIEKOU_API_KEY')
  })
})

// @vitest-environment node
import { describe, expect, it, vi } from 'vitest'
import { findModel } from '../models'
import type { cropFrame } from '../lib/frame-crop'
import type { StoredRequest } from './db'
import { buildRequestBody, sendPlan } from './requests'

// Stored bytes, as IndexedDB would give them back (fake-indexeddb's clones lose Blob methods in jsdom).
vi.mock('./frames', () => ({ frameBlob: async (hash: string) => new Blob([hash]) }))

const v31 = findModel('veo-3.1-generate-firstlastframe')!
const v30 = findModel('veo-3.0-generate-preview-img2video')!

const big = { kind: 'stored', hash: 'big', mime: 'image/jpeg', width: 4000, height: 3000, bytes: 4_000_000, name: 'big.jpg' } as const
const exact = { kind: 'stored', hash: 'exact', mime: 'image/png', width: 1280, height: 720, bytes: 900_000, name: 'exact.png' } as const

const request = (frames: StoredRequest['frames'], params: StoredRequest['params'] = {}): StoredRequest => ({
  modelId: v31.id,
  params: { prompt: 'slow push in', generate_audio: false, ...params },
  frames,
})

describe('sendPlan', () => {
  it.each([
    ['720p 16:9', '720p', '16:9', 1280, 720],
    ['1080p 16:9', '1080p', '16:9', 1920, 1080],
    ['720p 9:16', '720p', '9:16', 720, 1280],
    ['1080p 9:16', '1080p', '9:16', 1080, 1920],
  ] as const)('sends at the output size: %s', (_, resolution, aspect_ratio, width, height) => {
    const plan = sendPlan(big, v31, { resolution, aspect_ratio })
    expect({ width: plan.width, height: plan.height }).toEqual({ width, height })
    expect(plan.asStored).toBe(false)
  })
  it('keeps a frame already at the output size as it is', () => {
    expect(sendPlan(exact, v31, { resolution: '720p', aspect_ratio: '16:9' }).asStored).toBe(true)
  })
})

describe('buildRequestBody', () => {
  it('sends a frame cropped to the chosen part, at the output size', async () => {
    const crop = vi.fn<typeof cropFrame>(async () => ({ blob: new Blob(['cropped']), mime: 'image/jpeg' as const }))
    // The designer moved the crop to the top of a 4:3 frame; 16:9 keeps three quarters of its height.
    const built = await buildRequestBody(v31, request({ first: { ...big, crop: { x: 0, y: 0, w: 1, h: 0.75 } }, last: big }), crop)
    expect(built.ok).toBe(true)
    expect(crop).toHaveBeenCalledTimes(2)
    const [blob, kept, width, height, mime] = crop.mock.calls[0] as unknown as [Blob, object, number, number, string]
    expect(await blob.text()).toBe('big')
    expect(kept).toEqual({ x: 0, y: 0, w: 1, h: 0.75 })
    expect([width, height, mime]).toEqual([1280, 720, 'image/jpeg'])
    // Untouched: centred, as the provider would crop, and still scaled to the output size.
    expect(crop.mock.calls[1]).toEqual([expect.any(Blob), { x: 0, y: 0.125, w: 1, h: 0.75 }, 1280, 720, 'image/jpeg'])
    expect(built.ok && built.body.image).toBe(btoa('cropped'))
  })

  it('sends a frame at the output size as stored, and a URL frame as its URL', async () => {
    const crop = vi.fn<typeof cropFrame>()
    const built = await buildRequestBody(v31, request({ first: exact, last: { kind: 'url', url: 'https://example.com/f.png' } }), crop)
    expect(crop).not.toHaveBeenCalled()
    expect(built.ok && built.body).toMatchObject({ image: btoa('exact'), last_image: 'https://example.com/f.png' })
  })

  it('uses the model body fields (Veo 3.0: image_base64)', async () => {
    const crop = vi.fn<typeof cropFrame>(async () => ({ blob: new Blob(['png']), mime: 'image/png' as const }))
    const built = await buildRequestBody(v30, { ...request({ first: big }, { aspect_ratio: '9:16' }), modelId: v30.id }, crop)
    expect(crop.mock.calls[0]?.slice(2)).toEqual([720, 1280, 'image/jpeg'])
    expect(built.ok && built.body.image_base64).toBe(btoa('png'))
  })
})

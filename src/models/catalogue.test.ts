// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { describeIssues, findModel, models, type Draft } from './index'

const v30 = findModel('veo-3.0-generate-preview-img2video')!
const v31 = findModel('veo-3.1-generate-firstlastframe')!
const png = { kind: 'data', mime: 'image/png', base64: 'iVBORw0KGgo=' } as const

const draft = (params: Draft['params'], frames: Draft['frames'] = { first: png, last: png }): Draft => ({ params, frames })

describe('model catalogue', () => {
  it('holds both Veo models, each with its submit path', () => {
    expect(models.map((m) => m.path)).toEqual(['/v3/async/veo-3.0-generate-preview-img2video', '/v3/async/veo-3.1-generate-firstlastframe'])
  })

  it('declares every body field of each seed', () => {
    const keys = (m: typeof v30) => m.fields.map((f) => f.key).sort()
    const shared = [
      'aspect_ratio',
      'duration_seconds',
      'enhance_prompt',
      'generate_audio',
      'negative_prompt',
      'person_generation',
      'prompt',
      'resolution',
      'sample_count',
      'seed',
    ]
    expect(keys(v30)).toEqual(shared)
    expect(keys(v31)).toEqual(shared)
  })

  it('puts a 3.0 frame in image_base64 or image_url, and 3.1 frames in image and last_image', () => {
    expect(v30.toRequestBody(draft({ prompt: 'a', generate_audio: false }))).toMatchObject({ image_base64: png.base64 })
    const byUrl = v30.toRequestBody(draft({ prompt: 'a', generate_audio: false }, { first: { kind: 'url', url: 'https://x.test/a.png' } }))
    expect(byUrl).toMatchObject({ image_url: 'https://x.test/a.png' })
    expect(byUrl).not.toHaveProperty('image_base64')
    expect(v31.toRequestBody(draft({ prompt: 'a' }))).toMatchObject({ image: png.base64, last_image: png.base64 })
  })

  it('fills defaults, keeps enhance_prompt locked on for 3.1, and validates with the schema', () => {
    const body = v31.toRequestBody(draft({ prompt: '  slow zoom in ', enhance_prompt: false }))
    expect(body).toEqual({
      image: png.base64,
      last_image: png.base64,
      prompt: 'slow zoom in',
      aspect_ratio: '16:9',
      duration_seconds: 8,
      resolution: '720p',
      sample_count: 1,
      generate_audio: false,
      enhance_prompt: true,
      person_generation: 'allow_adult',
    })
    expect(v31.schema.safeParse(body).success).toBe(true)
  })

  it('refuses a 3.0 body without generate_audio, naming the field', () => {
    const result = v30.schema.safeParse(v30.toRequestBody(draft({ prompt: 'a' })))
    expect(result.success).toBe(false)
    expect(describeIssues(result.error!)).toContain('generate_audio is required')
  })

  it('names the field and the allowed values when one is wrong', () => {
    const result = v31.schema.safeParse({ ...v31.toRequestBody(draft({ prompt: 'a' })), duration_seconds: 5, foo: 1 })
    const message = describeIssues(result.error!)
    expect(message).toContain('duration_seconds must be one of 4, 6, 8 (got 5)')
    expect(message).toContain('unknown field "foo"')
  })

  it('refuses a 3.0 body with both image fields, or neither', () => {
    const base = { prompt: 'a', generate_audio: true }
    expect(describeIssues(v30.schema.safeParse(base).error!)).toContain('image_url or image_base64 is required')
    expect(describeIssues(v30.schema.safeParse({ ...base, image_url: 'https://x.test/a.png', image_base64: 'abc' }).error!)).toContain(
      'not both',
    )
  })

  it('refuses a seed outside 0–4,294,967,295', () => {
    const body = { ...v31.toRequestBody(draft({ prompt: 'a' })), seed: 4_294_967_296 }
    expect(describeIssues(v31.schema.safeParse(body).error!)).toContain('seed must be a whole number from 0 to 4294967295')
  })
})

// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { describeIssues, findModel } from '../models'
import { frameCheckSchema, taskResultSchema, videoSchema } from './schemas'

/*
 * The lenient reading of provider answers, pinned when the schemas moved from classic zod to zod/mini (which has
 * no methods, no z.preprocess and no built-in messages): each case below is one the rewrite had to reproduce.
 */

const task = { task_id: 't', status: 'TASK_STATUS_PROCESSING' }

describe('task-result schema', () => {
  it('reads numeric strings as numbers and drops unreadable ones', () => {
    const r = taskResultSchema.parse({ task: { ...task, eta: ' 12 ', progress_percent: 'soon' } })
    expect(r.task.eta).toBe(12)
    expect(r.task.progress_percent).toBeUndefined()
    expect(taskResultSchema.parse({ task: { ...task, eta: '', progress_percent: 40 } }).task).toMatchObject({
      eta: undefined,
      progress_percent: 40,
    })
  })

  it('counts an unknown status as unknown and a missing reason as empty', () => {
    expect(taskResultSchema.parse({ task: { ...task, status: 'TASK_STATUS_NEW', reason: null } }).task).toMatchObject({
      status: 'TASK_STATUS_UNKNOWN',
      reason: '',
      task_type: '',
    })
  })

  it('keeps unknown extra keys, reads the seed as a string, and turns an unreadable extra into {}', () => {
    const r = taskResultSchema.parse({ task, extra: { seed: 42, debug_info: 'x', model_version: 'v3' } })
    expect(r.extra).toEqual({ seed: '42', debug_info: undefined, model_version: 'v3' })
    expect(taskResultSchema.parse({ task, extra: 'nope' }).extra).toEqual({})
    expect(taskResultSchema.parse({ task, videos: null }).videos).toEqual([])
  })

  it('reads a TTL as a string or a number, and falls back to 3600 and mp4', () => {
    expect(videoSchema.parse({ video_url: 'u', video_url_ttl: '60.5' })).toEqual({ video_url: 'u', video_url_ttl: 60.5, video_type: 'mp4' })
    expect(videoSchema.parse({ video_url: 'u', video_url_ttl: -1, video_type: 7 })).toMatchObject({
      video_url_ttl: 3600,
      video_type: 'mp4',
    })
  })
})

describe('default messages', () => {
  // zod/mini ships no messages ("Invalid input" only) unless the English locale is loaded: these are zod's own.
  it('name the field and what was wrong, as classic zod did', () => {
    const r = frameCheckSchema.safeParse({ mime: 'image/png', width: '1', height: 1.5, bytes: -1 })
    expect(r.success || describeIssues(r.error)).toBe(
      'width: Invalid input: expected number, received string; height: Invalid input: expected int, received number; ' +
        'bytes: Too small: expected number to be >=0',
    )
    const v30 = findModel('veo-3.0-generate-preview-img2video')!
    const body = v30.schema.safeParse({ prompt: 'p', image_url: 5, generate_audio: false })
    expect(body.success || describeIssues(body.error)).toBe('image_url: Invalid input: expected string, received number')
  })
})

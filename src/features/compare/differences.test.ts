// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { storedFrame } from '../../../testing/sample-record'
import type { FrameRef, SampleRecord, StoredRequest } from '../../db/db'
import type { Rect } from '../../lib/crop'
import { differenceRows, frameIdentity, NOT_SET } from './differences'

type Sample = Pick<SampleRecord, 'request' | 'seed'>

const V31 = 'veo-3.1-generate-firstlastframe'
const V30 = 'veo-3.0-generate-preview-img2video'

const stored = (hash: string, crop?: Rect): FrameRef => storedFrame(hash, { crop })

/** A sample of Veo 3.1 with the prompt "a kite" and seed 7, unless told otherwise (`null`: no seed came back). */
function sample(request: Partial<StoredRequest> = {}, seed: string | null = '7'): Sample {
  return { request: { modelId: V31, params: { prompt: 'a kite' }, frames: {}, ...request }, seed: seed ?? undefined }
}

const row = (samples: Sample[], key: string) => differenceRows(samples).find((r) => r.key === key)!
const differing = (samples: Sample[]) =>
  differenceRows(samples)
    .filter((r) => r.differs)
    .map((r) => r.key)

describe('differenceRows', () => {
  it('lists the fields in the issue’s order, with human values', () => {
    const rows = differenceRows([
      sample({
        params: { prompt: 'a kite', negative_prompt: 'rain', duration_seconds: 6, resolution: '1080p', aspect_ratio: '9:16' },
      }),
    ])
    expect(rows.map((r) => [r.label, r.values[0]])).toEqual([
      ['Model', 'Veo 3.1'],
      ['Prompt', 'a kite'],
      ['Negative prompt', 'rain'],
      ['Seed', '7'],
      ['Duration', '6 s'],
      ['Resolution', '1080p'],
      ['Aspect ratio', '9:16'],
      ['Audio', 'Off'],
      ['Person generation', 'Adults only'],
      ['Frames', undefined],
    ])
    expect(rows.some((r) => r.differs)).toBe(false)
  })

  it('fills what was left empty with the model’s default, so an unset field and its default are the same', () => {
    const unset = sample({ params: { prompt: 'a kite' } })
    const explicit = sample({
      params: {
        prompt: 'a kite',
        negative_prompt: '',
        duration_seconds: 8,
        resolution: '720p',
        aspect_ratio: '16:9',
        generate_audio: false,
        person_generation: 'allow_adult',
      },
    })
    expect(differing([unset, explicit])).toEqual([])
    expect(row([unset], 'duration').values).toEqual(['8 s'])
    expect(row([unset], 'negative_prompt').values).toEqual([NOT_SET])
  })

  it('marks exactly the fields that differ, against any of up to four samples', () => {
    const a = sample()
    const b = sample({ params: { prompt: 'a red kite' } }, '8')
    const c = sample({ params: { prompt: 'a kite', generate_audio: true } })
    const d = sample({ params: { prompt: 'a kite', person_generation: 'dont_allow' } })
    expect(differing([a, b])).toEqual(['prompt', 'seed'])
    expect(differing([a, a, c])).toEqual(['audio'])
    expect(row([a, c], 'audio').values).toEqual(['Off', 'On'])
    expect(row([a, d], 'person_generation').values).toEqual(['Adults only', 'No people'])
    expect(differing([a, b, c, d])).toEqual(['prompt', 'seed', 'audio', 'person_generation'])
  })

  it('names the model by its catalogue short name, and an unknown one by its id', () => {
    const samples = [sample(), sample({ modelId: V30 }), sample({ modelId: 'veo-9' })]
    expect(row(samples, 'model')).toMatchObject({ values: ['Veo 3.1', 'Veo 3.0', 'veo-9'], differs: true })
  })

  it('shows the seed the provider used, else the one asked for, else not set', () => {
    const samples = [
      sample({ params: { prompt: 'a kite', seed: 5 } }, '9'),
      sample({ params: { prompt: 'a kite', seed: 5 } }, null),
      sample({}, null),
    ]
    expect(row(samples, 'seed').values).toEqual(['9', '5', NOT_SET])
  })

  it('counts any character of the prompt, but not the spaces at its ends, which are never sent', () => {
    expect(row([sample(), sample({ params: { prompt: '  a kite ' } })], 'prompt').differs).toBe(false)
    expect(row([sample(), sample({ params: { prompt: 'a  kite' } })], 'prompt').differs).toBe(true)
    expect(row([sample(), sample({ params: { prompt: 'a kite.' } })], 'prompt').differs).toBe(true)
    expect(row([sample(), sample({ params: { prompt: 'A kite' } })], 'prompt').differs).toBe(true)
  })

  it('tells frames apart by their stored hash, URL and chosen crop, and reads their absence as its own value', () => {
    const frames = (first?: FrameRef, last?: FrameRef) => sample({ frames: { first, last } })
    const a = frames(stored('h1'), stored('h2'))
    expect(row([a, frames(stored('h1'), stored('h2'))], 'frames').differs).toBe(false)
    expect(row([a, frames(stored('h1'), stored('h3'))], 'frames').differs).toBe(true)
    expect(row([a, frames(stored('h1'))], 'frames').differs).toBe(true)
    expect(row([a, frames(stored('h1', { x: 0.2, y: 0, w: 0.5, h: 1 }), stored('h2'))], 'frames').differs).toBe(true)
    expect(row([frames({ kind: 'url', url: 'https://x/a.png' }), frames({ kind: 'url', url: 'https://x/b.png' })], 'frames').differs).toBe(
      true,
    )
    expect(row([sample(), a], 'frames').values[0]).toBeUndefined()
  })
})

describe('frameIdentity', () => {
  it('names each slot by hash (with its crop) or URL', () => {
    expect(frameIdentity(stored('h1'), { kind: 'url', url: 'https://x/b.png' })).toBe('first=h1 last=https://x/b.png')
    expect(frameIdentity(stored('h1', { x: 0.25, y: 0, w: 0.5, h: 1 }), undefined)).toBe('first=h1@0.2500,0.0000,0.5000,1.0000')
    expect(frameIdentity(undefined, undefined)).toBeUndefined()
  })
})

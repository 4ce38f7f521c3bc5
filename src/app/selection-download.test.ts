import { strFromU8, unzipSync, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { sampleRecord } from '../../testing/sample-record'
import { archiveEntries, archiveName, requestJson } from './selection-download'

const request = (prompt: string) => ({
  modelId: 'veo-3.1-generate-firstlastframe',
  params: { prompt, duration_seconds: 4, seed: 42 },
  frames: {},
})

describe('the selection download', () => {
  it('is named for the studio and the count', () => {
    expect(archiveName(3)).toBe('veo-studio-3-samples.zip')
    expect(archiveName(1)).toBe('veo-studio-1-sample.zip')
  })

  it("holds each sample's video and request.json, named as the card's Download names it, a shared name made unique", () => {
    const a = sampleRecord({ taskRecordId: 'local:a', seed: '42', request: request('Slow zoom, in!') })
    const b = sampleRecord({ taskRecordId: 'local:b', seed: '42', request: request('Slow zoom, in!') })
    const c = sampleRecord({ taskRecordId: 'local:c', seed: '7', request: request('pan') })
    const videos = new Map([
      [a.id, new Uint8Array([1])],
      [b.id, new Uint8Array([2])],
    ])
    const files = unzipSync(zipSync(archiveEntries([a, b, c], videos)))
    expect(Object.keys(files).sort()).toEqual([
      'slow-zoom-in-local-preview-seed-42-2.mp4',
      'slow-zoom-in-local-preview-seed-42-2.request.json',
      'slow-zoom-in-local-preview-seed-42.mp4',
      'slow-zoom-in-local-preview-seed-42.request.json',
    ])
    expect([...files['slow-zoom-in-local-preview-seed-42-2.mp4']!]).toEqual([2])
    expect(JSON.parse(strFromU8(files['slow-zoom-in-local-preview-seed-42.request.json']!))).toMatchObject({
      modelId: 'veo-3.1-generate-firstlastframe',
      seed: '42',
      params: { prompt: 'Slow zoom, in!', duration_seconds: 4 },
    })
  })

  it('request.json carries the request and the seed used, and never a key', () => {
    const body = JSON.parse(requestJson(sampleRecord({ seed: '9', request: request('orbit') })))
    expect(Object.keys(body).sort()).toEqual(['createdAt', 'frames', 'model', 'modelId', 'params', 'provider', 'seed'])
    expect(body.model).toMatch(/Veo 3\.1/)
    expect(JSON.stringify(body)).not.toMatch(/key|authorization|bearer/i)
  })
})

import { strFromU8, unzipSync, zipSync } from 'fflate'
import { http, HttpResponse } from 'msw'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { sampleRecord } from '../../testing/sample-record'
import { answerWith, withFakeLibrary } from '../test/fake-library'
import { archiveEntries, archiveName, downloadSelection, requestJson } from './selection-download'

const library = withFakeLibrary()
const MP4 = new Uint8Array([0, 0, 0, 8, 102, 116, 121, 112])

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

/** jsdom's Blob has no arrayBuffer(); its FileReader reads one the same way. */
function readBytes(this: Blob): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.addEventListener('load', () => resolve(reader.result as ArrayBuffer))
    reader.addEventListener('error', () => reject(reader.error))
    reader.readAsArrayBuffer(this)
  })
}

describe('downloadSelection', () => {
  beforeAll(() => {
    Blob.prototype.arrayBuffer ??= readBytes
  })

  afterEach(() => {
    vi.restoreAllMocks()
  })

  it("zips the library's copies and a live link's video; leaves out, and counts, one never kept whose link expired", async () => {
    const sha = 'c'.repeat(64)
    library.files.set(sha, new Blob([MP4], { type: 'video/mp4' }))
    const kept = sampleRecord({ taskRecordId: 'local:kept', stored: true, videoSha256: sha, seed: '5', request: request('orbit') })
    // Brought across from an older studio, not archived yet: its link still lives.
    const live = sampleRecord({
      taskRecordId: 'local:live',
      videoUrl: '/api/local/videos/live.mp4',
      urlExpiresAt: Date.now() + 60_000,
      seed: '6',
      request: request('pan'),
    })
    answerWith(
      http.get('*/api/local/videos/live.mp4', () => HttpResponse.arrayBuffer(MP4.buffer, { headers: { 'Content-Type': 'video/mp4' } })),
    )
    const lost = sampleRecord({ taskRecordId: 'local:lost', stored: false, urlExpiresAt: 0 })
    let saved: Blob | undefined
    let name = ''
    // jsdom saves no files: catch the zip on its way to the browser's download.
    URL.createObjectURL = (blob: Blob) => {
      saved = blob
      return 'blob:zip'
    }
    URL.revokeObjectURL = () => {}
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      name = this.download
    })
    expect(await downloadSelection([kept, live, lost])).toEqual({ fileName: 'veo-studio-2-samples.zip', included: 2, skipped: 1 })
    expect(name).toBe('veo-studio-2-samples.zip')
    const files = unzipSync(new Uint8Array(await saved!.arrayBuffer()))
    expect(Object.keys(files).sort()).toEqual([
      'orbit-local-preview-seed-5.mp4',
      'orbit-local-preview-seed-5.request.json',
      'pan-local-preview-seed-6.mp4',
      'pan-local-preview-seed-6.request.json',
    ])
    expect([...files['orbit-local-preview-seed-5.mp4']!]).toEqual([...MP4])
  })

  it('saves nothing when no video is at hand (a kept file the gateway no longer has counts as left out)', async () => {
    const lost = sampleRecord({ taskRecordId: 'local:lost', stored: false, urlExpiresAt: 0 })
    const gone = sampleRecord({ taskRecordId: 'local:gone', stored: true, videoSha256: 'd'.repeat(64) })
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click')
    expect(await downloadSelection([lost, gone])).toEqual({ fileName: 'veo-studio-0-samples.zip', included: 0, skipped: 2 })
    expect(click).not.toHaveBeenCalled()
  })
})

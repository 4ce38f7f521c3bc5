// @vitest-environment node
import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it, vi } from 'vitest'
import { libraryKeys } from '../api/library-queries'
import { sha256Hex } from '../lib/bytes'
import type { cropFrame } from '../lib/frame-crop'
import { findModel } from '../models'
import { fakeLibrary, withFakeLibrary } from '../test/fake-library'
import type { FrameRef, QueueItem, StoredRequest } from './db'
import { buildRequestBody } from './requests'
import { postRequests, prepareRequests } from './submit'

/*
 * In Node, where a Blob, fetch and WebCrypto are one realm's, so the bytes uploaded are the bytes hashed (in jsdom a
 * Blob body reaches Node's fetch as text). The studio's calls are made against this page's address.
 */
vi.stubGlobal('location', new URL('http://localhost:3000/'))
withFakeLibrary()

const v31 = findModel('veo-3.1-generate-firstlastframe')!

/** A frame in the library, as Compose refers to it (its hash is the SHA-256 of its bytes). */
async function storedFrame(text: string, width: number, height: number): Promise<FrameRef & { kind: 'stored' }> {
  const blob = new Blob([text], { type: 'image/png' })
  const hash = await sha256Hex(blob)
  fakeLibrary.files.set(hash, blob)
  fakeLibrary.frames.set(hash, { hash, mime: 'image/png', width, height, bytes: blob.size, name: `${text}.png`, addedAt: 1 })
  return { kind: 'stored', hash, mime: 'image/png', width, height, bytes: blob.size, name: `${text}.png` }
}

const request = (frames: StoredRequest['frames'], params: StoredRequest['params'] = {}): StoredRequest => ({
  modelId: v31.id,
  params: { prompt: 'slow push in', generate_audio: false, resolution: '720p', aspect_ratio: '16:9', ...params },
  frames,
})

const puts = () => fakeLibrary.calls.filter((c) => c.method === 'PUT').map((c) => c.path.split('?')[0])

describe('prepareRequests', () => {
  it('names each frame by the hash of the bytes it sends, puts each distinct one once, and leaves the body otherwise as built', async () => {
    // One frame the output crops and scales (made once, in the frame worker), one already at the output size.
    const big = await storedFrame(`big ${Math.random()}`, 4000, 3000)
    const exact = await storedFrame(`exact ${Math.random()}`, 1280, 720)
    const made = new Blob([`cropped ${Math.random()}`], { type: 'image/jpeg' })
    const crop = vi.fn<typeof cropFrame>(async () => ({ blob: made, mime: 'image/jpeg' as const }))
    const cells = [1, 2, 3].map((seed, col) => ({
      provider: 'local' as const,
      request: request({ first: big, last: exact }, { seed }),
      experimentId: 'e1',
      cell: { row: 0, col },
    }))

    const items = await prepareRequests(cells, crop)

    const madeSha = await sha256Hex(made)
    // The cropped frame went up once for the three cells; the one sent as stored is in the library already, under
    // its own hash, and its bytes were not even read back.
    expect(puts()).toEqual([`/frames/${madeSha}`])
    expect(fakeLibrary.calls.map((c) => c.path)).not.toContain(`/files/${exact.hash}`)
    expect(await sha256Hex(fakeLibrary.files.get(madeSha)!)).toBe(madeSha)
    expect(fakeLibrary.frames.get(madeSha)).toMatchObject({ width: 1280, height: 720, name: big.name })
    const built = await buildRequestBody(v31, cells[0]!.request, crop)
    expect(built.ok).toBe(true)
    expect(items[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      provider: 'local',
      modelPath: '/v3/async/veo-3.1-generate-firstlastframe',
      request: cells[0]!.request,
      body: { ...(built.ok && built.body), image: { $blob: madeSha }, last_image: { $blob: exact.hash } },
      priority: 'sweep',
      experimentId: 'e1',
      cell: { row: 0, col: 0 },
    })
    expect(items.map((i) => i.body.seed)).toEqual([1, 2, 3])
    expect(new Set(items.map((i) => i.id)).size).toBe(3)
  })

  it('a single run (Generate, Retry) goes ahead of a sweep, keeps the id it was given, and sends a URL frame as its URL', async () => {
    const [item] = await prepareRequests([
      {
        id: 'press-0001',
        provider: 'jiekou',
        request: request({
          first: { kind: 'url', url: 'https://example.com/a.png' },
          last: { kind: 'url', url: 'https://example.com/b.png' },
        }),
        retryOf: 'jiekou:old',
      },
    ])
    expect(item).toMatchObject({ id: 'press-0001', provider: 'jiekou', priority: 'single', retryOf: 'jiekou:old' })
    expect(item!.body).toMatchObject({ image: 'https://example.com/a.png', last_image: 'https://example.com/b.png' })
    expect(puts()).toEqual([])
  })

  it('refuses a request the model would refuse, naming the field, and hands nothing over', async () => {
    const url = { kind: 'url', url: 'https://example.com/a.png' } as const
    await expect(
      prepareRequests([{ provider: 'local', request: request({ first: url, last: url }, { duration_seconds: 5 }) }]),
    ).rejects.toThrow(/duration_seconds/)
    await expect(prepareRequests([{ provider: 'local', request: { ...request({}), modelId: 'veo-9' } }])).rejects.toThrow(
      'This model is not in the studio any more.',
    )
    expect(fakeLibrary.calls.filter((c) => c.method !== 'GET')).toEqual([])
  })

  it.each([
    ['cropped', 4000, 3000],
    ['sent as stored', 1280, 720],
  ])('says so when a frame is no longer in the library (%s)', async (_, width, height) => {
    const gone = { kind: 'stored', hash: `${width}`.padEnd(64, 'f'), mime: 'image/png', width, height, bytes: 9, name: 'gone.png' } as const
    await expect(prepareRequests([{ provider: 'local', request: request({ first: gone, last: gone }) }])).rejects.toThrow(
      'A frame of this request is no longer in the library. Add it again.',
    )
  })
})

describe('postRequests', () => {
  it('hands the requests to the queue and shows them in the cached queue at once', async () => {
    const client = new QueryClient()
    client.setQueryData<QueueItem[]>(libraryKeys.queue(), [])
    const url = { kind: 'url', url: 'https://example.com/a.png' } as const
    const items = await prepareRequests([{ provider: 'local', request: request({ first: url, last: url }) }])
    const queued = await postRequests(items, client)
    expect(fakeLibrary.calls.find((c) => c.method === 'POST')).toMatchObject({ path: '/requests', body: { requests: items } })
    expect(queued).toMatchObject([{ id: items[0]!.id, state: 'queued', priority: 'single' }])
    expect(client.getQueryData(libraryKeys.queue())).toEqual(queued)
  })
})

// @vitest-environment node
import { unzipSync } from 'fflate'
import { http, HttpResponse } from 'msw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { answerWith, fakeSample, seedSamples, withFakeLibrary } from '../../test/fake-library'
import { exportArchive } from './export'
import { importArchive } from './import'
import { bytesOf, fakeMp4, seedStudio, snapshot, takeApart, wipe, zipOf } from './transfer.test-kit'
import { transferWords } from './use-transfer'
import { exportSummary, importSummary } from './words'

// In Node, where the bytes a Blob body uploads are the bytes hashed (jsdom's Blob does not reach Node's fetch whole).
vi.stubGlobal('location', new URL('http://localhost:3000/'))
const library = withFakeLibrary()

/** What the browser's decoder reads from a frame's bytes (node has none): the seeded frame is 1280×720. */
let decoded = { width: 1280, height: 720 }
beforeEach(() => {
  decoded = { width: 1280, height: 720 }
  vi.stubGlobal('createImageBitmap', async () => ({ ...decoded, close() {} }))
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.stubGlobal('location', new URL('http://localhost:3000/'))
})

describe('export → wipe → import', () => {
  it('reads the library through its API and gives back the same videos, samples, tasks, experiments and frames', async () => {
    await seedStudio()
    const before = snapshot()
    const progress: number[] = []
    const exported = await exportArchive(
      { kind: 'gallery' },
      { onProgress: (f) => progress.push(f), now: new Date('2026-01-02T00:00:00Z') },
    )
    expect(exported).toMatchObject({ fileName: 'veo-studio-export-gallery-2026-01-02.zip', samples: 2, experiments: 1, skipped: 0 })
    expect(progress.at(-1)).toBe(1)
    // What it read: the lists, the frame's description, and each file once.
    const reads = library.calls.map((c) => `${c.method} ${c.path.split('?')[0]}`)
    expect(reads).toEqual(
      expect.arrayContaining(['GET /samples', 'GET /tasks', 'GET /experiments', expect.stringMatching(/^GET \/frames\//)]),
    )
    expect(reads.filter((r) => r.startsWith('GET /files/'))).toHaveLength(4)

    wipe()
    const counts = await importArchive(exported.blob)
    expect(importSummary(counts)).toBe('Imported 2 samples, 1 experiment.')
    expect(snapshot()).toEqual(before)
    // Files first (none held on a fresh gateway), then the records in one call.
    const writes = library.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path.replace(/[0-9a-f]{64}/, '<sha>')}`)
    expect(writes).toEqual(['POST /import/held', 'POST /blobs/held', ...Array(4).fill('PUT /blobs/<sha>'), 'POST /import'])
  })

  it('a second import adds nothing and puts no file: the same records by id, the same files by hash', async () => {
    await seedStudio()
    const { blob } = await exportArchive({ kind: 'gallery' })
    library.calls.length = 0
    const counts = await importArchive(blob)
    expect(importSummary(counts)).toBe('Imported 0 samples (2 already here), 0 experiments (1 already here).')
    expect(library.calls.filter((c) => c.method === 'PUT')).toEqual([])
    expect(library.samples.size).toBe(2)
  })

  it('an experiment comes back with its board: winner and note', async () => {
    await seedStudio()
    const { blob, fileName } = await exportArchive({ kind: 'experiment', id: 'exp-1' })
    expect(fileName).toBe('veo-studio-export-orbit-left.zip')
    wipe()
    await importArchive(blob)
    expect(library.experiments.get('exp-1')).toMatchObject({ marks: { '0:0': { winner: true, note: 'the one' } } })
    expect([...library.samples.keys()]).toEqual(['local:t2#0'])
  })

  it('a selection carries its samples, their tasks, and their boards whole', async () => {
    await seedStudio()
    const { blob, samples, experiments } = await exportArchive({ kind: 'selection', sampleIds: ['local:t2#0'] })
    expect({ samples, experiments }).toEqual({ samples: 1, experiments: 1 })
    const { manifest } = await takeApart(blob)
    expect((manifest.tasks as { id: string }[]).map((t) => t.id)).toEqual(['local:t2'])
  })

  it('a sample whose video the gateway does not keep yet is left out, and said so', async () => {
    await seedStudio()
    seedSamples(fakeSample({ id: 'local:t3#0', stored: false }))
    const exported = await exportArchive({ kind: 'gallery' })
    expect(exported).toMatchObject({ samples: 2, skipped: 1 })
    expect(exportSummary({ ...exported, fileName: 'x.zip' })).toBe(
      'Saved x.zip: 2 samples, 1 experiment. 1 video left out: it is not kept on the gateway yet.',
    )
  })

  it('stores the MP4 as it is (level 0), and holds no key from the connection or the settings', async () => {
    const KEY = 'sk-planted-key-5f2c9a'
    const storage = new Map<string, string>([
      ['veo-studio.connection', JSON.stringify({ state: { provider: 'jiekou', apiKey: KEY, rememberKey: true }, version: 0 })],
      ['veo-studio.key-to-move', KEY],
    ])
    vi.stubGlobal('localStorage', { getItem: (k: string) => storage.get(k) ?? null })
    await seedStudio()
    const zip = await bytesOf((await exportArchive({ kind: 'gallery' })).blob)
    const text = (b: Uint8Array) => Buffer.from(b).toString('latin1')
    const video = fakeMp4('video one')
    expect(Buffer.from(zip).indexOf(Buffer.from(video))).toBeGreaterThan(0)
    // The raw zip, and every file in it unpacked (the manifest is deflated).
    for (const bytes of [zip, ...Object.values(unzipSync(zip))]) {
      expect(text(bytes)).not.toContain(KEY)
      expect(text(bytes)).not.toMatch(/authorization|api-?key/i)
    }
  })

  it('Cancel stops an export and an import, and the import sends no record', async () => {
    await seedStudio()
    const cancelled = new AbortController()
    cancelled.abort()
    await expect(exportArchive({ kind: 'gallery' }, { signal: cancelled.signal })).rejects.toMatchObject({ name: 'AbortError' })
    const { blob } = await exportArchive({ kind: 'gallery' })
    wipe()
    await expect(importArchive(blob, { signal: cancelled.signal })).rejects.toMatchObject({ name: 'AbortError' })
    expect(library.samples.size).toBe(0)
    expect(library.calls.filter((c) => c.path === '/import')).toEqual([])
  })

  it("the gateway's full disk: the import stops before its records, with the way out", async () => {
    await seedStudio()
    const { blob } = await exportArchive({ kind: 'gallery' })
    wipe()
    answerWith(
      http.put('*/api/library/blobs/:sha', () =>
        HttpResponse.json(
          { code: 507, reason: 'SERVICE_NOT_AVAILABLE', message: "The gateway's disk is full.", metadata: {} },
          { status: 507 },
        ),
      ),
    )
    const failure = await importArchive(blob).catch((e: unknown) => e)
    expect(transferWords(failure, 'import').message).toBe(
      "There is not enough room on the gateway's disk for this import: nothing was imported. Free space on the gateway's disk (Settings › Storage), then try again.",
    )
    expect(library.samples.size).toBe(0)
  })
})

describe('what an import takes from the archive, and what it does not', () => {
  it("a frame's size comes from its bytes, not from the manifest", async () => {
    await seedStudio()
    const { files, manifest } = await takeApart((await exportArchive({ kind: 'gallery' })).blob)
    wipe()
    decoded = { width: 640, height: 360 }
    const frames = (manifest.frames as Record<string, unknown>[]).map((f) => ({ ...f, width: 99_999, height: 1 }))
    await importArchive(zipOf(files, { ...manifest, frames }))
    expect([...library.frames.values()].map((f) => [f.width, f.height])).toEqual([[640, 360]])
  })

  it("a sample's link is the other studio's: ended on import, so the gateway never tries to copy it again", async () => {
    await seedStudio()
    for (const s of library.samples.values()) s.urlExpiresAt = Date.now() + 3_600_000
    const { blob } = await exportArchive({ kind: 'gallery' })
    wipe()
    await importArchive(blob)
    for (const s of library.samples.values()) expect(s.urlExpiresAt).toBeLessThanOrEqual(Date.now())
  })

  it('an export of the previous version (favourite as 1, no posters) imports: favourite as a boolean, videos by hash', async () => {
    await seedStudio()
    const { files, manifest } = await takeApart((await exportArchive({ kind: 'gallery' })).blob)
    const videos = (manifest.videos as Record<string, unknown>[]).map(({ poster: _poster, ...v }) => v)
    const kept = Object.fromEntries(Object.entries(files).filter(([path]) => !path.startsWith('posters/')))
    wipe()
    await importArchive(zipOf(kept, { ...manifest, app: { name: 'Veo Studio', version: '0.9.0' }, videos }))
    const favourite = library.samples.get('local:t1#0')!
    expect(favourite).toMatchObject({ favourite: true, stored: true, videoSha256: (manifest.samples as { video: string }[])[0]!.video })
    expect(favourite).not.toHaveProperty('posterSha256')
  })
})

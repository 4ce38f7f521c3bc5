// @vitest-environment node
import 'fake-indexeddb/auto'
import { strToU8, unzipSync, zipSync } from 'fflate'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db'
import { exportArchive } from './export'
import { importArchive, readArchive, unsafeName } from './import'
import { sha256Hex } from '../../lib/bytes'
import { bytesOf, declareSize, fakeMp4, fakePng, seedStudio, snapshot, takeApart, zipOf } from './transfer.test-kit'
import { importSummary } from './words'

/** What the browser's decoder reads from a frame's bytes (node has none): the seeded frame is 1280×720. */
let decoded = { width: 1280, height: 720 }
beforeEach(() => {
  decoded = { width: 1280, height: 720 }
  vi.stubGlobal('createImageBitmap', async () => ({ ...decoded, close() {} }))
})
afterEach(async () => {
  vi.unstubAllGlobals()
  await db.delete()
  await db.open()
})

/** Deletes the whole database, as a designer wiping the studio (or a new browser) would. */
async function wipe() {
  await db.delete()
  await db.open()
}

describe('export → wipe → import', () => {
  it('gives back the same video bytes, samples, tasks, experiments and frames', async () => {
    await seedStudio()
    const before = await snapshot()
    const progress: number[] = []
    const exported = await exportArchive(
      { kind: 'gallery' },
      { onProgress: (f) => progress.push(f), now: new Date('2026-01-02T00:00:00Z') },
    )
    expect(exported).toMatchObject({ fileName: 'veo-studio-export-gallery-2026-01-02.zip', samples: 2, experiments: 1, skipped: 0 })
    expect(progress.at(-1)).toBe(1)
    await wipe()
    expect(await db.samples.count()).toBe(0)
    const counts = await importArchive(exported.blob)
    expect(importSummary(counts)).toBe('Imported 2 samples, 1 experiment.')
    expect(await snapshot()).toEqual(before)
  })

  it('a second import adds nothing: the same records by id, the same videos by hash', async () => {
    await seedStudio()
    const { blob } = await exportArchive({ kind: 'gallery' })
    const counts = await importArchive(blob)
    expect(importSummary(counts)).toBe('Imported 0 samples (2 already here), 0 experiments (1 already here).')
    expect(await db.samples.count()).toBe(2)
  })

  it('an experiment comes back with its board: winner and note', async () => {
    await seedStudio()
    const { blob, fileName } = await exportArchive({ kind: 'experiment', id: 'exp-1' })
    expect(fileName).toBe('veo-studio-export-orbit-left.zip')
    await wipe()
    await importArchive(blob)
    expect(await db.experiments.get('exp-1')).toMatchObject({ marks: { '0:0': { winner: true, note: 'the one' } } })
    expect((await db.samples.toArray()).map((s) => s.id)).toEqual(['local:t2#0'])
  })

  it('stores the MP4 as it is (level 0), and holds no key from the connection or the settings', async () => {
    const KEY = 'sk-planted-key-5f2c9a'
    const storage = new Map<string, string>([
      ['veo-studio.connection', JSON.stringify({ state: { provider: 'jiekou', apiKey: KEY, rememberKey: true }, version: 0 })],
      ['veo-studio.settings', JSON.stringify({ state: { apiKey: KEY }, version: 0 })],
    ])
    globalThis.localStorage = { getItem: (k: string) => storage.get(k) ?? null } as Storage
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
    delete (globalThis as { localStorage?: Storage }).localStorage
  })

  it('Cancel stops an export and an import, and the import writes nothing', async () => {
    await seedStudio()
    const cancelled = new AbortController()
    cancelled.abort()
    await expect(exportArchive({ kind: 'gallery' }, { signal: cancelled.signal })).rejects.toMatchObject({ name: 'AbortError' })
    const { blob } = await exportArchive({ kind: 'gallery' })
    await wipe()
    await expect(importArchive(blob, { signal: cancelled.signal })).rejects.toMatchObject({ name: 'AbortError' })
    expect(await db.samples.count()).toBe(0)
  })
})

describe('what an import takes from the archive, and what it does not', () => {
  it("a frame's size comes from its bytes, not from the manifest", async () => {
    await seedStudio()
    const { files, manifest } = await takeApart((await exportArchive({ kind: 'gallery' })).blob)
    await wipe()
    decoded = { width: 640, height: 360 }
    const frames = (manifest.frames as Record<string, unknown>[]).map((f) => ({ ...f, width: 99_999, height: 1 }))
    await importArchive(zipOf(files, { ...manifest, frames }))
    expect((await db.frames.toArray()).map((f) => [f.width, f.height])).toEqual([[640, 360]])
  })

  it("a sample's link is the other studio's: ended on import, so its copy is never dropped as one to fetch again", async () => {
    await seedStudio()
    const later = Date.now() + 3_600_000
    await db.samples.toCollection().modify({ urlExpiresAt: later, createdAt: Date.now() })
    const { blob } = await exportArchive({ kind: 'gallery' })
    await wipe()
    const before = Date.now()
    await importArchive(blob)
    const samples = await db.samples.toArray()
    expect(samples).toHaveLength(2)
    for (const s of samples) expect(s.urlExpiresAt).toBeLessThanOrEqual(Date.now())
    expect(samples.every((s) => s.urlExpiresAt >= before)).toBe(true)
    const { dropStoredCopies } = await import('../../db/space')
    expect(await dropStoredCopies()).toEqual({ count: 0, bytes: 0 })
  })
})

describe('a hostile or malformed zip is refused, with words, and changes nothing', () => {
  let good: { files: Record<string, Uint8Array>; manifest: Record<string, unknown> }
  beforeEach(async () => {
    await seedStudio()
    good = await takeApart((await exportArchive({ kind: 'gallery' })).blob)
    await wipe()
  })

  const videos = () => good.manifest.videos as { path: string; sha256: string; bytes: number }[]
  const refusal = async (zip: Blob, limits?: Parameters<typeof readArchive>[1]) => {
    const error = await importArchive(zip, limits).then(
      () => undefined,
      (e: unknown) => e as Error & { details?: string },
    )
    expect(await db.samples.count()).toBe(0)
    expect(await db.tasks.count()).toBe(0)
    return error
  }

  it('accepts the export as it is (the fixture the others spoil)', async () => {
    await expect(readArchive(zipOf(good.files))).resolves.toBeDefined()
  })

  it('not a zip', async () => {
    const e = await refusal(new Blob([fakePng('not a zip at all, only an image with some bytes')]))
    expect(e?.message).toMatch(/^This file is not a Veo Studio export: it is not a zip file\./)
  })

  it('no manifest', async () => {
    const { 'manifest.json': _manifest, ...rest } = good.files
    expect((await refusal(zipOf(rest)))?.message).toMatch(/^This file is not a Veo Studio export: manifest.json is missing\./)
  })

  it('bad JSON', async () => {
    const e = await refusal(zipOf({ ...good.files, 'manifest.json': strToU8('{"format": "veo-studio-export",') }))
    expect(e?.message).toMatch(/manifest.json is not valid JSON/)
    expect(e?.details).toBeTruthy()
  })

  it('a manifest of a newer version, of no version, or of another format', async () => {
    expect((await refusal(zipOf(good.files, { ...good.manifest, version: 3 })))?.message).toMatch(
      /made by a newer Veo Studio \(version 3\); update the studio/,
    )
    expect((await refusal(zipOf(good.files, { ...good.manifest, version: 'one' })))?.message).toMatch(/no version this studio knows/)
    expect((await refusal(zipOf(good.files, { ...good.manifest, format: 'other' })))?.message).toMatch(/not a Veo Studio manifest/)
  })

  it('a damaged manifest names the field under Details', async () => {
    const e = await refusal(zipOf(good.files, { ...good.manifest, samples: [{ id: 42 }] }))
    expect(e?.message).toMatch(/its manifest.json is damaged/)
    expect(e?.details).toMatch(/samples\.0/)
  })

  it.each(['../evil.mp4', 'videos/../../evil.mp4', '/etc/passwd', 'videos\\evil.mp4', 'C:/evil.mp4', 'videos/./x.mp4'])(
    'an unsafe path: %s',
    async (name) => {
      expect(unsafeName(name)).toBe(true)
      const e = await refusal(zipOf({ ...good.files, [name]: strToU8('x') }))
      expect(e?.message).toContain('unsafe name')
    },
  )

  it('a file the manifest does not name', async () => {
    const e = await refusal(zipOf({ ...good.files, 'videos/extra.mp4': fakeMp4('extra') }))
    expect(e?.message).toMatch(/holds videos\/extra.mp4, which its manifest does not name/)
  })

  it('a file the manifest names is missing', async () => {
    const { [videos()[0]!.path]: _gone, ...rest } = good.files
    expect((await refusal(zipOf(rest)))?.message).toMatch(/is missing, though its manifest names it/)
  })

  it('a bomb: a declared size over the limit, and over the total', async () => {
    const path = videos()[0]!.path
    const big = await refusal(zipOf(good.files), { limits: { video: 10 } })
    expect(big?.message).toMatch(new RegExp(`${path} unpacks to .* over the 10 B a file may have`))
    const total = await refusal(zipOf(good.files), { limits: { total: 100 } })
    expect(total?.message).toMatch(/over the 100 B an import takes \(a zip bomb\?\)/)
  })

  it('a bomb whose header lies: counted while unpacking, stopped at the limit', async () => {
    // 4 MB of zeros deflate to a few KB; the headers say 100 bytes.
    const path = videos()[0]!.path
    const zeros = new Uint8Array(4 * 1024 * 1024)
    const lying = declareSize(zipSync({ ...good.files, [path]: [zeros, { level: 9 }] }), path, 100)
    const e = await refusal(new Blob([lying as Uint8Array<ArrayBuffer>]), { limits: { video: 1024 * 1024 } })
    expect(e?.message).toMatch(/unpacks to more than its zip header says|over the 1.0 MB a file may have/)
  })

  it('a "video" that is not one', async () => {
    const v = videos()[0]!
    const html = strToU8('<html>not a video</html>')
    const manifest = { ...good.manifest, videos: videos().map((x) => (x === v ? { ...x, bytes: html.length } : x)) }
    const e = await refusal(zipOf({ ...good.files, [v.path]: html }, manifest))
    expect(e?.message).toMatch(/a "video" in it is not a video/)
    expect(e?.message).not.toContain(v.path)
    expect(e?.details).toContain(v.path)
  })

  it('a frame that is not the image it claims', async () => {
    const f = (good.manifest.frames as { path: string }[])[0]!
    const e = await refusal(zipOf({ ...good.files, [f.path]: strToU8('GIF89a and so on') }))
    expect(e?.message).toMatch(/is not the PNG image it claims to be/)
    expect(e?.details).toBe(`${f.path}: a GIF`)
  })

  it('an unfinished task: it would be polled here, on a gateway that never knew it', async () => {
    const tasks = (good.manifest.tasks as Record<string, unknown>[]).map(({ finishedAt: _f, ...t }, i) =>
      i === 0 ? { ...t, status: 'TASK_STATUS_PROCESSING' } : { ...t, finishedAt: 200 },
    )
    const e = await refusal(zipOf(good.files, { ...good.manifest, tasks }))
    expect(e?.message).toMatch(/its manifest.json is damaged/)
    expect(e?.details).toMatch(/tasks\.0\.finishedAt/)
  })

  it('a frame this browser cannot open', async () => {
    vi.stubGlobal('createImageBitmap', async () => Promise.reject(new DOMException('bad', 'InvalidStateError')))
    const f = (good.manifest.frames as { path: string }[])[0]!
    const e = await refusal(zipOf(good.files))
    expect(e?.message).toMatch(/a frame in it is not a picture this browser can open/)
    expect(e?.details).toContain(f.path)
  })

  it('a hash that does not match its bytes', async () => {
    const v = videos()[0]!
    const other = fakeMp4('video ONE') // same size, other bytes
    expect(other.length).toBe(v.bytes)
    expect(await sha256Hex(other)).not.toBe(v.sha256)
    const e = await refusal(zipOf({ ...good.files, [v.path]: other }))
    expect(e?.message).toMatch(/^This export was refused: a video in it is damaged or was changed \(it does not match its SHA-256\)\./)
    // The long hashed name stays under Details, out of the sentence.
    expect(e?.message).not.toContain(v.path)
    expect(e?.details).toContain(v.path)
  })

  it('an export cut short (a download that stopped): incomplete, not "not a zip"', async () => {
    const whole = zipOf(good.files)
    const e = await refusal(whole.slice(0, Math.floor(whole.size / 2)))
    expect(e?.message).toMatch(/^This export was refused: it is incomplete or damaged \(perhaps its download was cut short\)\./)
  })
})

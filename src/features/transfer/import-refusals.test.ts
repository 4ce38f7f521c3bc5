// @vitest-environment node
import { strToU8, zipSync } from 'fflate'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { sha256Hex } from '../../lib/bytes'
import { withFakeLibrary } from '../../test/fake-library'
import { exportArchive } from './export'
import { importArchive, readArchive, unsafeName } from './import'
import { declareSize, fakeMp4, fakePng, seedStudio, takeApart, wipe, zipOf } from './transfer.test-kit'

// In Node, where the bytes a Blob body uploads are the bytes hashed (jsdom's Blob does not reach Node's fetch whole).
vi.stubGlobal('location', new URL('http://localhost:3000/'))
const library = withFakeLibrary()

/*
 * An import is checked whole before anything is sent, so a refusal sends nothing: each test spoils a good export of the
 * test kit's library. What the browser's decoder reads from a frame's bytes (Node has none): 1280×720.
 */
beforeEach(() => {
  vi.stubGlobal('createImageBitmap', async () => ({ width: 1280, height: 720, close() {} }))
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.stubGlobal('location', new URL('http://localhost:3000/'))
})

describe('a hostile or malformed zip is refused, with words, and changes nothing', () => {
  let good: { files: Record<string, Uint8Array>; manifest: Record<string, unknown> }
  beforeEach(async () => {
    await seedStudio()
    good = await takeApart((await exportArchive({ kind: 'gallery' })).blob)
    wipe()
  })

  const videos = () => good.manifest.videos as { path: string; sha256: string; bytes: number }[]
  const refusal = async (zip: Blob, limits?: Parameters<typeof readArchive>[1]) => {
    const error = await importArchive(zip, limits).then(
      () => undefined,
      (e: unknown) => e as Error & { details?: string },
    )
    expect(library.samples.size).toBe(0)
    expect(library.tasks.size).toBe(0)
    expect(library.calls.filter((c) => c.method !== 'GET')).toEqual([])
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

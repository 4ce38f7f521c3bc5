import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { imageSize, jpegSize, pngSize } from './image-size.ts'
import { makeImage } from './testing/media.ts'

const segment = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body]
/** A start-of-frame segment: precision, height, width, one component. */
const sof = (marker: number, width: number, height: number) =>
  segment(marker, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0])
const jpeg = (...parts: number[][]) => Uint8Array.from([0xff, 0xd8, ...parts.flat()])

describe('jpegSize', () => {
  it.each<[string, Uint8Array, { width: number; height: number } | undefined]>([
    ['baseline (SOF0)', jpeg(sof(0xc0, 1920, 1080)), { width: 1920, height: 1080 }],
    ['progressive (SOF2)', jpeg(sof(0xc2, 641, 963)), { width: 641, height: 963 }],
    [
      'after APP0, a large APP1 and tables',
      jpeg(
        segment(0xe0, Array(14).fill(0)),
        segment(0xe1, Array(70_000 % 65_000).fill(7)),
        segment(0xdb, Array(65).fill(1)),
        segment(0xc4, Array(30).fill(2)),
        sof(0xc0, 300, 200),
      ),
      { width: 300, height: 200 },
    ],
    ['with fill bytes before the marker', jpeg([0xff, 0xff], sof(0xc1, 17, 9)), { width: 17, height: 9 }],
    ['DHT (C4) is not a frame', jpeg(segment(0xc4, [0, 0, 9, 0, 5, 0, 0])), undefined],
    ['no frame before the data runs out', jpeg(segment(0xe0, Array(14).fill(0))), undefined],
    ['a frame cut short', jpeg(sof(0xc0, 100, 100).slice(0, 6)), undefined],
    ['height 0 (deferred to DNL)', jpeg(sof(0xc0, 100, 0)), undefined],
    ['not a JPEG', Uint8Array.from([0x89, 0x50, 0x4e, 0x47]), undefined],
  ])('%s', (_case, bytes, size) => {
    expect(jpegSize(bytes)).toEqual(size)
  })
})

describe('pngSize', () => {
  const png = (width: number, height: number, chunk = 'IHDR') => {
    const out = new Uint8Array(33)
    out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
    out.set(
      [...chunk].map((ch) => ch.charCodeAt(0)),
      12,
    )
    new DataView(out.buffer).setUint32(16, width)
    new DataView(out.buffer).setUint32(20, height)
    return out
  }
  it.each<[string, Uint8Array, { width: number; height: number } | undefined]>([
    ['IHDR', png(1001, 667), { width: 1001, height: 667 }],
    ['wide', png(70_000, 3), { width: 70_000, height: 3 }],
    ['no IHDR first', png(10, 10, 'tEXt'), undefined],
    ['zero width', png(0, 10), undefined],
    ['cut short', png(10, 10).slice(0, 20), undefined],
  ])('%s', (_case, bytes, size) => {
    expect(pngSize(bytes)).toEqual(size)
  })
})

describe('imageSize on real files', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'image-size-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  // ffmpeg's test sources round sizes to even numbers, so these are even.
  it('reads what ffmpeg wrote: PNG, and baseline JPEG also re-marked progressive', async () => {
    const png = await readFile(await makeImage(join(dir, 'a.png'), { width: 1000, height: 666, kind: 'png', pattern: 'boxes' }))
    const jpg = await readFile(await makeImage(join(dir, 'b.jpg'), { width: 640, height: 962, kind: 'jpeg', pattern: 'boxes' }))
    expect(imageSize(png)).toEqual({ width: 1000, height: 666 })
    expect(imageSize(jpg)).toEqual({ width: 640, height: 962 })
    // The progressive frame header has the baseline's layout under another marker.
    const at = jpg.indexOf(Buffer.from([0xff, 0xc0]))
    expect(at).toBeGreaterThan(0)
    const progressive = Buffer.from(jpg)
    progressive[at + 1] = 0xc2
    expect(imageSize(progressive)).toEqual({ width: 640, height: 962 })
  })
})

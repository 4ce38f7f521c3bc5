import { describe, expect, it } from 'vitest'
import { containIn, cropFor, cropOutline, type Rect } from './crop'

const WHOLE = { x: 0, y: 0, w: 1, h: 1 }
/** To 4 decimals: a tenth of a pixel on a 1000-pixel zone. */
const round = ({ x, y, w, h }: Rect) => ({ x: +x.toFixed(4), y: +y.toFixed(4), w: +w.toFixed(4), h: +h.toFixed(4) })

describe('cropFor', () => {
  it.each([
    // [case, width, height, output aspect, cropped, kept]
    ['exact 16:9 into 16:9', 1920, 1080, 16 / 9, false, WHOLE],
    ['exact 9:16 into 9:16 (portrait output)', 720, 1280, 9 / 16, false, WHOLE],
    ['1366×768 into 16:9: within the 1% tolerance', 1366, 768, 16 / 9, false, WHOLE],
    ['a frame 0.9% narrower than 16:9: within tolerance', 1903, 1080, 16 / 9, false, WHOLE],
    ['a frame 2% narrower than 16:9: cropped', 1882, 1080, 16 / 9, true, { x: 0, y: 0.009896, w: 1, h: 0.980208 }],
    ['4:3 into 16:9: top and bottom go', 1024, 768, 16 / 9, true, { x: 0, y: 0.125, w: 1, h: 0.75 }],
    ['square into 16:9', 1000, 1000, 16 / 9, true, { x: 0, y: 0.21875, w: 1, h: 0.5625 }],
    ['9:16 into 16:9: most of the height goes', 720, 1280, 16 / 9, true, { x: 0, y: 0.341797, w: 1, h: 0.316406 }],
    ['16:9 into 9:16 (portrait output): the sides go', 1600, 900, 9 / 16, true, { x: 0.341797, y: 0, w: 0.316406, h: 1 }],
    ['4:3 into 9:16', 1024, 768, 9 / 16, true, { x: 0.289063, y: 0, w: 0.421875, h: 1 }],
  ] as const)('%s', (_, width, height, aspect, cropped, kept) => {
    const crop = cropFor(width, height, aspect)
    expect(crop.cropped).toBe(cropped)
    expect(round(crop.kept)).toEqual(round(kept))
  })

  it('keeps the crop centred', () => {
    const { kept } = cropFor(1600, 900, 9 / 16)
    expect(kept.x).toBeCloseTo((1 - kept.w) / 2, 9)
  })
})

describe('containIn', () => {
  it.each([
    ['16:9 in a 16:9 box fills it', 16 / 9, 16 / 9, WHOLE],
    ['9:16 in a 16:9 box: a centred column', 9 / 16, 16 / 9, { x: 0.341797, y: 0, w: 0.316406, h: 1 }],
    ['4:3 in a 16:9 box: pillarboxed', 4 / 3, 16 / 9, { x: 0.125, y: 0, w: 0.75, h: 1 }],
    ['16:9 in a square box: letterboxed', 16 / 9, 1, { x: 0, y: 0.21875, w: 1, h: 0.5625 }],
    ['16:9 in a 9:16 box: a centred band', 16 / 9, 9 / 16, { x: 0, y: 0.341797, w: 1, h: 0.316406 }],
  ] as const)('%s', (_, imageAspect, boxAspect, rect) => {
    expect(round(containIn(imageAspect, boxAspect))).toEqual(round(rect))
  })
})

describe('cropOutline', () => {
  it('a 16:9 frame for 9:16 output, in a 16:9 box: the kept column spans the box height', () => {
    const { kept } = cropFor(1280, 720, 9 / 16)
    expect(round(cropOutline(kept, 16 / 9, 16 / 9))).toEqual(round(kept))
  })
  it('a 4:3 frame for 16:9 output, in a 16:9 box: the kept band sits inside the pillarboxed image', () => {
    const { kept } = cropFor(1024, 768, 16 / 9)
    expect(round(cropOutline(kept, 4 / 3, 16 / 9))).toEqual({ x: 0.125, y: 0.125, w: 0.75, h: 0.75 })
  })
  it('the same frame in a square box: letterboxed image, band inside it', () => {
    const { kept } = cropFor(1024, 768, 16 / 9)
    expect(round(cropOutline(kept, 4 / 3, 1))).toEqual({ x: 0, y: 0.2188, w: 1, h: 0.5625 })
  })
  it('a 16:9 frame for 9:16 output, in a 9:16 box', () => {
    const { kept } = cropFor(1280, 720, 9 / 16)
    expect(round(cropOutline(kept, 16 / 9, 9 / 16))).toEqual({ x: 0.3418, y: 0.3418, w: 0.3164, h: 0.3164 })
  })
})

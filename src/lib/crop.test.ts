// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { chosenCrop, containIn, cropFor, cropOutline, cropPixels, dragDelta, moveCrop, type Rect } from './crop'

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

describe('chosenCrop', () => {
  it('is centred when nothing was chosen', () => {
    expect(chosenCrop(1600, 900, 9 / 16)).toEqual(cropFor(1600, 900, 9 / 16))
  })
  it('keeps the centre of the choice, with the size the output needs', () => {
    const { kept } = chosenCrop(1600, 900, 9 / 16, { x: 0, y: 0, w: 0.3, h: 1 })
    expect(round(kept)).toEqual(round({ x: 0, y: 0, w: 0.316406, h: 1 }))
  })
  it('a choice made for 9:16 still means the same part after a switch to a 4:3 frame in 16:9', () => {
    const { kept } = chosenCrop(1024, 768, 16 / 9, { x: 0, y: 0.5, w: 1, h: 0.5 })
    expect(round(kept)).toEqual(round({ x: 0, y: 0.25, w: 1, h: 0.75 }))
  })
  it('ignores a choice when the frame is not cropped', () => {
    expect(chosenCrop(1920, 1080, 16 / 9, { x: 0.2, y: 0, w: 0.3, h: 1 }).kept).toEqual(WHOLE)
  })
})

describe('moveCrop', () => {
  const kept = { x: 0.3, y: 0, w: 0.4, h: 1 }
  it.each([
    ['moves within the frame', 0.1, 0, { x: 0.4, y: 0, w: 0.4, h: 1 }],
    ['stops at the right edge', 0.5, 0, { x: 0.6, y: 0, w: 0.4, h: 1 }],
    ['stops at the left edge', -0.9, 0, { x: 0, y: 0, w: 0.4, h: 1 }],
    ['cannot move along the side it keeps whole', 0, 0.2, kept],
  ] as const)('%s', (_, dx, dy, want) => {
    expect(round(moveCrop(kept, dx, dy))).toEqual(round(want))
  })
})

describe('dragDelta', () => {
  it('a 16:9 frame in a 9:16 zone: a move across the zone is a move across the frame', () => {
    // 180×320 zone; the frame is shown 180 wide: 18 px is a tenth of the frame.
    const d = dragDelta(18, 0, 16 / 9, 180, 320)
    expect(d.dx).toBeCloseTo(0.1, 9)
  })
  it('a 9:16 frame in a 16:9 zone: vertical pixels map to the frame height', () => {
    const d = dragDelta(0, 36, 9 / 16, 640, 360)
    expect(d.dy).toBeCloseTo(0.1, 9)
  })
})

describe('cropPixels', () => {
  it('rounds to whole pixels inside the frame', () => {
    expect(cropPixels({ x: 0.341797, y: 0, w: 0.316406, h: 1 }, 1600, 900)).toEqual({ sx: 547, sy: 0, sw: 506, sh: 900 })
    expect(cropPixels({ x: 0.9999, y: 0, w: 0.5, h: 1 }, 100, 100)).toEqual({ sx: 50, sy: 0, sw: 50, sh: 100 })
  })
})

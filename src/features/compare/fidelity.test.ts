// @vitest-environment node
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { analysisSize, HEAT_FLOOR, heatColour, heatMap, luma, psnr, ssim } from './fidelity'

/** A width×height RGBA image whose pixel (x, y) is `at(x, y)` as [r, g, b] (opaque). */
function image(width: number, height: number, at: (x: number, y: number) => [number, number, number]): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4
      ;[out[i], out[i + 1], out[i + 2]] = at(x, y)
      out[i + 3] = 255
    }
  return out
}
const flat = (w: number, h: number, v: number) => image(w, h, () => [v, v, v])
/** A deterministic texture in 20..220, so an offset of ±30 never clips. */
const texture = (w: number, h: number) =>
  image(w, h, (x, y) => {
    const v = 120 + Math.round(100 * Math.sin(x * 0.7) * Math.cos(y * 0.45))
    return [v, ((v * 7 + 31) % 200) + 20, 220 - v + 20]
  })
const map = (img: Uint8ClampedArray, f: (v: number, channel: number) => number) => img.map((v, i) => (i % 4 === 3 ? v : f(v, i % 4)))

describe('psnr', () => {
  it('is Infinity for identical images', () => {
    const a = texture(16, 9)
    expect(psnr(a, a.slice())).toBe(Infinity)
  })

  it('every channel off by 10: MSE 100, 28.13 dB', () => {
    const a = texture(16, 9)
    expect(
      psnr(
        a,
        map(a, (v) => v + 10),
      ),
    ).toBeCloseTo(10 * Math.log10(65025 / 100), 6)
    expect(
      psnr(
        a,
        map(a, (v) => v + 10),
      ),
    ).toBeCloseTo(28.13, 2)
  })

  it('ignores alpha', () => {
    const a = texture(8, 8)
    expect(
      psnr(
        a,
        a.map((v, i) => (i % 4 === 3 ? 0 : v)),
      ),
    ).toBe(Infinity)
  })

  it('one channel off by 30 on every pixel: MSE 300', () => {
    const a = flat(4, 4, 100)
    expect(
      psnr(
        a,
        map(a, (v, c) => (c === 1 ? v + 30 : v)),
      ),
    ).toBeCloseTo(10 * Math.log10(65025 / 300), 9)
  })

  it('black against white: 0 dB', () => {
    expect(psnr(flat(4, 4, 0), flat(4, 4, 255))).toBeCloseTo(0, 9)
  })

  it('refuses images of different sizes', () => {
    expect(() => psnr(flat(4, 4, 0), flat(4, 5, 0))).toThrow(/differ in size/)
  })
})

describe('luma', () => {
  it('is BT.601 Y', () => {
    expect([...luma(image(3, 1, (x) => (x === 0 ? [255, 0, 0] : x === 1 ? [0, 255, 0] : [0, 0, 255])))]).toEqual([
      0.299 * 255,
      0.587 * 255,
      0.114 * 255,
    ])
  })
})

describe('ssim', () => {
  it('is 1 for identical images', () => {
    const a = texture(40, 30)
    expect(ssim(a, a.slice(), 40, 30)).toBeCloseTo(1, 12)
  })

  it('a constant offset on a flat image: only the luminance term, in closed form', () => {
    // σx = σy = σxy = 0, so SSIM = (2·μx·μy + C1) / (μx² + μy² + C1); an offset of 10 on R, G and B moves Y by 10.
    const C1 = (0.01 * 255) ** 2
    const expected = (2 * 100 * 110 + C1) / (100 ** 2 + 110 ** 2 + C1)
    expect(ssim(flat(32, 24, 100), flat(32, 24, 110), 32, 24)).toBeCloseTo(expected, 12)
    expect(expected).toBeCloseTo(0.995476, 6)
  })

  it('a constant offset on a textured image keeps the structure: just under 1, above the flat dark case', () => {
    const a = texture(40, 30)
    const s = ssim(
      a,
      map(a, (v) => v + 30),
      40,
      30,
    )
    expect(s).toBeLessThan(1)
    // Each window loses at most what its own mean loses; the darkest mean here is above 20.
    const C1 = (0.01 * 255) ** 2
    expect(s).toBeGreaterThan((2 * 20 * 50 + C1) / (20 ** 2 + 50 ** 2 + C1))
  })

  it('one window, one changed pixel: the centre weight of the Gaussian (σ = 1.5) in closed form', () => {
    // 11×11 is a single window. Flat 100 against the same with the centre raised by d: μy = 100 + w·d,
    // σy² = w·d² − (w·d)², σx = σxy = 0, where w is the centre weight of the 11×11 Gaussian of σ = 1.5.
    const sum1d = Array.from({ length: 11 }, (_, i) => Math.exp(-((i - 5) ** 2) / (2 * 1.5 ** 2))).reduce((a, b) => a + b)
    const w = 1 / sum1d ** 2
    const [C1, C2] = [(0.01 * 255) ** 2, (0.03 * 255) ** 2]
    const d = 150
    const b = flat(11, 11, 100)
    b.fill(250, (5 * 11 + 5) * 4, (5 * 11 + 5) * 4 + 3)
    const muY = 100 + w * d
    const varY = w * d * d - (w * d) ** 2
    const expected = ((2 * 100 * muY + C1) / (100 ** 2 + muY ** 2 + C1)) * (C2 / (varY + C2))
    expect(w).toBeCloseTo(0.07076, 5)
    expect(ssim(flat(11, 11, 100), b, 11, 11)).toBeCloseTo(expected, 10)
  })

  it('an inverted image scores below 0', () => {
    const a = texture(40, 30)
    expect(
      ssim(
        a,
        map(a, (v) => 255 - v),
        40,
        30,
      ),
    ).toBeLessThan(0)
  })

  it('noise lowers it, more noise lowers it more', () => {
    const a = texture(40, 30)
    const noisy = (amount: number) => map(a, (v, c) => v + (((v * 31 + c * 17) % 7) - 3) * amount)
    const little = ssim(a, noisy(1), 40, 30)
    const lot = ssim(a, noisy(6), 40, 30)
    expect(little).toBeLessThan(1)
    expect(lot).toBeLessThan(little)
  })

  it('needs at least one 11×11 window', () => {
    expect(() => ssim(flat(10, 20, 0), flat(10, 20, 0), 10, 20)).toThrow(/11×11/)
  })

  it('checks the size it is given', () => {
    expect(() => ssim(flat(20, 20, 0), flat(20, 20, 0), 20, 21)).toThrow(/not 20×21/)
  })
})

describe('properties', () => {
  const pair = fc
    .integer({ min: 11, max: 20 })
    .chain((w) =>
      fc
        .integer({ min: 11, max: 16 })
        .chain((h) =>
          fc.tuple(
            fc.constant(w),
            fc.constant(h),
            fc.uint8Array({ minLength: w * h * 4, maxLength: w * h * 4 }),
            fc.uint8Array({ minLength: w * h * 4, maxLength: w * h * 4 }),
          ),
        ),
    )

  it('psnr and ssim are symmetric', () => {
    fc.assert(
      fc.property(pair, ([w, h, x, y]) => {
        const a = new Uint8ClampedArray(x)
        const b = new Uint8ClampedArray(y)
        expect(psnr(a, b)).toBe(psnr(b, a))
        expect(ssim(a, b, w, h)).toBeCloseTo(ssim(b, a, w, h), 12)
      }),
      { numRuns: 40 },
    )
  })

  it('ssim is at most 1, and 1 (PSNR Infinity) only for the same pixels', () => {
    fc.assert(
      fc.property(pair, ([w, h, x, y]) => {
        const a = new Uint8ClampedArray(x)
        const b = new Uint8ClampedArray(y)
        expect(ssim(a, b, w, h)).toBeLessThanOrEqual(1 + 1e-12)
        expect(ssim(a, a, w, h)).toBeCloseTo(1, 12)
        expect(psnr(a, a)).toBe(Infinity)
      }),
      { numRuns: 40 },
    )
  })
})

describe('heatMap', () => {
  it('is clear where the images agree, up to codec noise', () => {
    const a = texture(8, 8)
    const out = heatMap(
      a,
      map(a, (v) => v + HEAT_FLOOR - 1),
      8,
      8,
    )
    expect(out.filter((_, i) => i % 4 === 3).every((alpha) => alpha === 0)).toBe(true)
  })

  it('goes from yellow to red as the difference grows, and more opaque', () => {
    const small = heatColour(HEAT_FLOOR)
    const large = heatColour(200)
    expect(small.slice(0, 3)).toEqual([255, 255, 0])
    expect(large.slice(0, 3)).toEqual([255, 0, 0])
    expect(large[3]).toBeGreaterThan(small[3])
    expect(heatColour(0)[3]).toBe(0)
  })

  it('marks only the pixel that differs, by its largest channel', () => {
    const a = flat(3, 1, 100)
    const b = a.slice()
    b[4 + 2] = 250 // the middle pixel's blue
    const out = heatMap(a, b, 3, 1)
    expect(Array.from(out.slice(0, 4))).toEqual([0, 0, 0, 0])
    expect(Array.from(out.slice(4, 8))).toEqual(heatColour(150))
    expect(Array.from(out.slice(8, 12))).toEqual([0, 0, 0, 0])
  })
})

describe('analysisSize', () => {
  it.each([
    [1920, 1080, 455, 256],
    [1280, 720, 455, 256],
    [1080, 1920, 256, 455],
    [200, 100, 200, 100],
  ])('%i×%i → %i×%i', (w, h, aw, ah) => {
    expect(analysisSize(w, h)).toEqual({ width: aw, height: ah })
  })
})

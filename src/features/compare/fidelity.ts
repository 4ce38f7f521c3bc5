/*
 * Frame fidelity: how closely a video's first (or last) frame matches the frame it was given. Pure arithmetic on
 * RGBA pixels, so it is tested on known inputs; the worker only decodes, draws and calls these.
 */

/** RGBA pixels, 4 bytes a pixel, as getImageData gives them. */
export type Rgba = Uint8ClampedArray

/** A rectangle in whole source pixels. */
export interface PixelRect {
  sx: number
  sy: number
  sw: number
  sh: number
}

function sameSize(a: Rgba, b: Rgba) {
  if (a.length !== b.length || a.length % 4 !== 0) throw new Error(`The two images differ in size (${a.length} and ${b.length} bytes).`)
}

/**
 * Peak signal-to-noise ratio over R, G and B (alpha ignored: a video has none), in dB. Infinity when identical.
 * 8-bit peak: 255.
 */
export function psnr(a: Rgba, b: Rgba): number {
  sameSize(a, b)
  let sum = 0
  for (let i = 0; i < a.length; i += 4) {
    const dr = a[i]! - b[i]!
    const dg = a[i + 1]! - b[i + 1]!
    const db = a[i + 2]! - b[i + 2]!
    sum += dr * dr + dg * dg + db * db
  }
  const pixels = a.length / 4
  if (pixels === 0) throw new Error('The images are empty.')
  const mse = sum / (pixels * 3)
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse)
}

/** BT.601 luma (the Y SSIM is classically computed on), 0–255, one value a pixel. */
export function luma(rgba: Rgba): Float64Array {
  const out = new Float64Array(rgba.length / 4)
  for (let p = 0, i = 0; p < out.length; p++, i += 4) out[p] = 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!
  return out
}

/** Wang et al. 2004: an 11-tap Gaussian of σ = 1.5, normalised to sum 1 (the 2-D window is its outer product). */
export const SSIM_WINDOW = 11
const SIGMA = 1.5
const KERNEL = (() => {
  const half = (SSIM_WINDOW - 1) / 2
  const k = Array.from({ length: SSIM_WINDOW }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * SIGMA * SIGMA)))
  const total = k.reduce((s, v) => s + v, 0)
  return Float64Array.from(k, (v) => v / total)
})()
const C1 = (0.01 * 255) ** 2
const C2 = (0.03 * 255) ** 2

/**
 * The Gaussian-weighted local mean of `plane` over every window that lies wholly inside the image ("valid", as
 * MATLAB's filter2 in Wang's reference code): (width − 10) × (height − 10) values. Separable: rows, then columns.
 */
function windowMeans(plane: Float64Array, width: number, height: number): Float64Array {
  const ow = width - SSIM_WINDOW + 1
  const oh = height - SSIM_WINDOW + 1
  const rows = new Float64Array(ow * height)
  for (let y = 0; y < height; y++) {
    const line = y * width
    for (let x = 0; x < ow; x++) {
      let s = 0
      for (let k = 0; k < SSIM_WINDOW; k++) s += KERNEL[k]! * plane[line + x + k]!
      rows[y * ow + x] = s
    }
  }
  const out = new Float64Array(ow * oh)
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0
      for (let k = 0; k < SSIM_WINDOW; k++) s += KERNEL[k]! * rows[(y + k) * ow + x]!
      out[y * ow + x] = s
    }
  }
  return out
}

/**
 * Mean SSIM of two RGBA images on their luma (Wang, Bovik, Sheikh & Simoncelli 2004): 11×11 Gaussian window,
 * σ = 1.5, K1 = 0.01, K2 = 0.03, L = 255, averaged over the windows wholly inside the image. 1 when identical; at
 * most 1; below 0 when the structure is inverted.
 */
export function ssim(a: Rgba, b: Rgba, width: number, height: number): number {
  sameSize(a, b)
  if (a.length !== width * height * 4) throw new Error(`The images are not ${width}×${height}.`)
  if (width < SSIM_WINDOW || height < SSIM_WINDOW) throw new Error(`SSIM needs at least ${SSIM_WINDOW}×${SSIM_WINDOW} pixels.`)
  const x = luma(a)
  const y = luma(b)
  const n = x.length
  const xx = new Float64Array(n)
  const yy = new Float64Array(n)
  const xy = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    xx[i] = x[i]! * x[i]!
    yy[i] = y[i]! * y[i]!
    xy[i] = x[i]! * y[i]!
  }
  const [mx, my, mxx, myy, mxy] = [x, y, xx, yy, xy].map((p) => windowMeans(p, width, height)) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ]
  let total = 0
  for (let i = 0; i < mx.length; i++) {
    const mux = mx[i]!
    const muy = my[i]!
    const vx = mxx[i]! - mux * mux
    const vy = myy[i]! - muy * muy
    const cov = mxy[i]! - mux * muy
    total += ((2 * mux * muy + C1) * (2 * cov + C2)) / ((mux * mux + muy * muy + C1) * (vx + vy + C2))
  }
  return total / mx.length
}

/**
 * Below this channel difference a pixel counts as equal: H.264 at Veo's bit rates moves flat areas by a level or
 * two, and an overlay lit by that noise would hide the places that really differ.
 */
export const HEAT_FLOOR = 3
/** From this difference on, a pixel is drawn fully red: a quarter of the range is already a plain mistake. */
export const HEAT_FULL = 64

/** The overlay colour for a pixel whose largest channel difference is `d` (0–255): clear, then yellow, then red. */
export function heatColour(d: number): [r: number, g: number, b: number, a: number] {
  if (d < HEAT_FLOOR) return [0, 0, 0, 0]
  const t = Math.min(1, (d - HEAT_FLOOR) / (HEAT_FULL - HEAT_FLOOR))
  return [255, Math.round(255 * (1 - t)), 0, Math.round(96 + 159 * t)]
}

/** An RGBA overlay of where two images differ, pixel by pixel (largest of the R, G, B differences). */
export function heatMap(a: Rgba, b: Rgba, width: number, height: number): Uint8ClampedArray<ArrayBuffer> {
  sameSize(a, b)
  if (a.length !== width * height * 4) throw new Error(`The images are not ${width}×${height}.`)
  const out = new Uint8ClampedArray(a.length)
  for (let i = 0; i < a.length; i += 4) {
    const d = Math.max(Math.abs(a[i]! - b[i]!), Math.abs(a[i + 1]! - b[i + 1]!), Math.abs(a[i + 2]! - b[i + 2]!))
    const [r, g, bl, al] = heatColour(d)
    out[i] = r
    out[i + 1] = g
    out[i + 2] = bl
    out[i + 3] = al
  }
  return out
}

/**
 * The size both images are compared at: the short side at 256 px (never enlarged), the long side in proportion.
 * - Wang's reference SSIM code downsamples so that the short side is about 256 before measuring: the 11×11 window
 *   is then the scale at which SSIM was validated against viewers, and scores read like published ones.
 * - At that scale H.264 grain and the two resamplers' (studio crop, engine fit) half-pixel differences average out,
 *   while framing, colour and content errors stay plain.
 * - 720p and 1080p land on the same 455×256, so their scores compare; and 116 k pixels keep SSIM near 20 ms.
 */
export const ANALYSIS_SHORT_SIDE = 256

export function analysisSize(videoWidth: number, videoHeight: number): { width: number; height: number } {
  const scale = Math.min(1, ANALYSIS_SHORT_SIDE / Math.min(videoWidth, videoHeight))
  return { width: Math.max(1, Math.round(videoWidth * scale)), height: Math.max(1, Math.round(videoHeight * scale)) }
}

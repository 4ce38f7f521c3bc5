/*
 * Fidelity off the main thread: decoding a 4000×3000 upload, two downscales and an SSIM would drop frames of the
 * comparison's playback. One call a frame: the uploaded frame's bytes in, the video's frame (transferred) in,
 * numbers and a heat-map PNG out.
 */
import { expose } from 'comlink'
import { cropPixels, type Rect } from '../../lib/crop'
import { heatMap, psnr, ssim, type PixelRect } from './fidelity'

export interface FidelityJob {
  /** The uploaded frame's stored bytes: decoded here, never on the main thread. */
  frame: Blob
  /** The part of it the model saw (sentCrop), in fractions: made pixels here from the decoded size, as the studio's
   * crop worker does when it sends the frame. */
  kept: Rect
  /** The video's frame at full size; closed here once drawn. */
  video: ImageBitmap
  /** The size both are compared at (analysisSize). */
  size: { width: number; height: number }
}

export interface FidelityAnswer {
  psnr: number
  ssim: number
  /** The heat map (heatMap) at the analysis size, as a PNG for an overlay. */
  heat: Blob
}

/** Draws a source onto a fresh black canvas of the analysis size, and reads its pixels back. */
function pixelsOf(
  source: ImageBitmap,
  rect: PixelRect,
  { width, height }: { width: number; height: number },
): Uint8ClampedArray<ArrayBuffer> {
  const canvas = new OffscreenCanvas(width, height)
  const ctx = canvas.getContext('2d', { willReadFrequently: true })
  if (!ctx) throw new Error('This browser cannot draw off screen.')
  // Black under a transparent PNG, as a video would show it. Both sides get the same smoothing, so the resampler
  // itself never counts as a difference.
  ctx.fillStyle = '#000'
  ctx.fillRect(0, 0, width, height)
  ctx.imageSmoothingEnabled = true
  ctx.imageSmoothingQuality = 'high'
  ctx.drawImage(source, rect.sx, rect.sy, rect.sw, rect.sh, 0, 0, width, height)
  return ctx.getImageData(0, 0, width, height).data
}

async function measure({ frame, kept, video, size }: FidelityJob): Promise<FidelityAnswer> {
  let upload: ImageBitmap | undefined
  try {
    upload = await createImageBitmap(frame)
    const a = pixelsOf(upload, cropPixels(kept, upload.width, upload.height), size)
    const b = pixelsOf(video, { sx: 0, sy: 0, sw: video.width, sh: video.height }, size)
    const heat = new OffscreenCanvas(size.width, size.height)
    const hctx = heat.getContext('2d')
    if (!hctx) throw new Error('This browser cannot draw off screen.')
    hctx.putImageData(new ImageData(heatMap(a, b, size.width, size.height), size.width, size.height), 0, 0)
    return { psnr: psnr(a, b), ssim: ssim(a, b, size.width, size.height), heat: await heat.convertToBlob({ type: 'image/png' }) }
  } finally {
    upload?.close()
    video.close()
  }
}

const api = { measure }
export type FidelityWorker = typeof api

expose(api)

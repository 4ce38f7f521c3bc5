/*
 * Crops and scales a frame off the main thread: a 4000×3000 decode and a JPEG encode take long enough to drop
 * frames of the UI. Messages: a CropJob in, a CropAnswer out, matched by id.
 */
import { cropPixels } from './crop'
import type { CropAnswer, CropJob } from './frame-crop'

/** Whether any pixel is less than opaque: only then is PNG worth its bytes. */
function hasTransparency(ctx: OffscreenCanvasRenderingContext2D, width: number, height: number): boolean {
  const data = ctx.getImageData(0, 0, width, height).data
  for (let i = 3; i < data.length; i += 4) if (data[i]! < 255) return true
  return false
}

async function run({ blob, kept, width, height, sourceMime }: CropJob): Promise<{ blob: Blob; mime: 'image/png' | 'image/jpeg' }> {
  const bitmap = await createImageBitmap(blob)
  const { sx, sy, sw, sh } = cropPixels(kept, bitmap.width, bitmap.height)
  const canvas = new OffscreenCanvas(width, height)
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new Error('This browser cannot draw off screen.')
  ctx.imageSmoothingQuality = 'high'
  ctx.drawImage(bitmap, sx, sy, sw, sh, 0, 0, width, height)
  bitmap.close()
  const png = sourceMime === 'image/png' && hasTransparency(ctx, width, height)
  const out = await canvas.convertToBlob(png ? { type: 'image/png' } : { type: 'image/jpeg', quality: 0.92 })
  return { blob: out, mime: png ? 'image/png' : 'image/jpeg' }
}

/* A worker's postMessage goes to the page that made it: there is no origin to name. */
const answer = (a: CropAnswer) =>
  // oxlint-disable-next-line unicorn/require-post-message-target-origin
  globalThis.postMessage(a)

globalThis.addEventListener('message', (event: MessageEvent<CropJob>) => {
  const job = event.data
  run(job).then(
    (done) => answer({ id: job.id, ok: true, ...done }),
    (e: unknown) => answer({ id: job.id, ok: false, message: e instanceof Error ? e.message : String(e) }),
  )
})

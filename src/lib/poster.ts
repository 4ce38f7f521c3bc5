const POSTER_WIDTH = 640
/** Below this mean luma (0–255) a still reads as a black card, as if the sample had failed. */
const DARK_LUMA = 28

/** The mean luma (Rec. 601) of RGBA pixels, 0–255. */
export function meanLuma(rgba: Uint8ClampedArray): number {
  let sum = 0
  for (let i = 0; i < rgba.length; i += 4) sum += 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!
  return rgba.length ? sum / (rgba.length / 4) : 0
}

/**
 * Where to look for a still, in order: the asked moment, then a quarter and three quarters in, then near the start.
 * A video that dips to black in its middle (a fade, a night cut) still gets a card that shows what it holds.
 */
export function posterTimes(atSeconds: number, duration: number): number[] {
  const clamp = (t: number) => Math.max(0, Math.min(t, duration - 0.05))
  const times = [atSeconds, duration * 0.25, duration * 0.75, duration * 0.1].map(clamp)
  return times.filter((t, i) => times.findIndex((u) => Math.abs(u - t) < 0.05) === i)
}

function once(target: HTMLMediaElement, event: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs)
    target.addEventListener(event, () => (clearTimeout(timer), resolve()), { once: true })
    target.addEventListener('error', () => (clearTimeout(timer), reject(new Error('the video could not be decoded'))), { once: true })
  })
}

/**
 * A JPEG still of a video at `atSeconds` (clamped into the video), at most 640 px wide, so a gallery of many
 * samples shows each one's look without loading every video. When that moment is nearly black, the brightest of a
 * few other moments (posterTimes). Undefined where the browser cannot decode it.
 */
export async function capturePoster(video: Blob, atSeconds: number): Promise<Blob | undefined> {
  // Only real browsers decode video; test DOMs (jsdom) do not, and would wait for nothing.
  if (typeof HTMLVideoElement === 'undefined' || !('requestVideoFrameCallback' in HTMLVideoElement.prototype)) return undefined
  const url = URL.createObjectURL(video)
  const el = document.createElement('video')
  try {
    el.muted = true
    el.preload = 'auto'
    el.src = url
    await once(el, 'loadeddata', 10_000)
    const scale = Math.min(1, POSTER_WIDTH / el.videoWidth)
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(el.videoWidth * scale)
    canvas.height = Math.round(el.videoHeight * scale)
    const ctx = canvas.getContext('2d', { willReadFrequently: true })
    if (!ctx) return undefined
    let best: { luma: number; at: number } | undefined
    let drawn: number | undefined
    for (const at of posterTimes(atSeconds, el.duration)) {
      drawn = at
      el.currentTime = at
      await once(el, 'seeked', 10_000)
      ctx.drawImage(el, 0, 0, canvas.width, canvas.height)
      const luma = meanLuma(ctx.getImageData(0, 0, canvas.width, canvas.height).data)
      if (!best || luma > best.luma) best = { luma, at }
      if (luma >= DARK_LUMA) break
    }
    // The canvas holds the last moment looked at; draw the brightest again when it was an earlier one.
    if (best && best.at !== drawn) {
      el.currentTime = best.at
      await once(el, 'seeked', 10_000)
      ctx.drawImage(el, 0, 0, canvas.width, canvas.height)
    }
    return await new Promise<Blob | undefined>((resolve) => canvas.toBlob((b) => resolve(b ?? undefined), 'image/jpeg', 0.85))
  } catch {
    return undefined
  } finally {
    el.removeAttribute('src')
    el.load()
    URL.revokeObjectURL(url)
  }
}

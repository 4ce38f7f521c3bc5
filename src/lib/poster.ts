const POSTER_WIDTH = 640

function once(target: HTMLMediaElement, event: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs)
    target.addEventListener(event, () => (clearTimeout(timer), resolve()), { once: true })
    target.addEventListener('error', () => (clearTimeout(timer), reject(new Error('the video could not be decoded'))), { once: true })
  })
}

/**
 * A JPEG still of a video at `atSeconds` (clamped into the video), at most 640 px wide, so a gallery of many
 * samples shows each one's look without loading every video. Undefined where the browser cannot decode it.
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
    el.currentTime = Math.max(0, Math.min(atSeconds, el.duration - 0.05))
    await once(el, 'seeked', 10_000)
    const scale = Math.min(1, POSTER_WIDTH / el.videoWidth)
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(el.videoWidth * scale)
    canvas.height = Math.round(el.videoHeight * scale)
    canvas.getContext('2d')?.drawImage(el, 0, 0, canvas.width, canvas.height)
    return await new Promise<Blob | undefined>((resolve) => canvas.toBlob((b) => resolve(b ?? undefined), 'image/jpeg', 0.85))
  } catch {
    return undefined
  } finally {
    el.removeAttribute('src')
    el.load()
    URL.revokeObjectURL(url)
  }
}

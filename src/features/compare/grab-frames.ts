/*
 * The video's first and last frames as bitmaps, for the fidelity worker. A hidden, muted <video> of its own does
 * the seeking, so the comparison's visible, frame-locked videos never jump.
 */

import { FRAME_S, frameCount, frameMiddle } from './frame-lock'

/** Two seeks of a stored 8 s 1080p clip take well under a second; past this the video is taken as unreadable. */
export const GRAB_TIMEOUT_MS = 15_000
/** How long to wait, after 'seeked', for the frame to be presented before reading what the element holds. */
const PRESENT_WAIT_MS = 250

/**
 * Where to seek for the first and last frames: the middle of each frame's display interval, never on an edge
 * where rounding could land on its neighbour.
 */
export function grabTimes(duration: number): { first: number; last: number } {
  return { first: frameMiddle(0), last: frameMiddle(frameCount(duration) - 1) }
}

export interface GrabbedFrames {
  width: number
  height: number
  first?: ImageBitmap
  last?: ImageBitmap
}

type Deadline = { promise: Promise<never>; clear(): void }

function deadline(ms: number): Deadline {
  let timer: ReturnType<typeof setTimeout> | undefined
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`The video's frames could not be read within ${Math.round(ms / 1000)} s. Reopen the comparison to try again.`)),
      ms,
    )
  })
  // Nobody may be listening when it fires after a failure elsewhere.
  promise.catch(() => {})
  return { promise, clear: () => clearTimeout(timer) }
}

function event(video: HTMLVideoElement, name: 'loadedmetadata' | 'seeked', limit: Deadline): Promise<void> {
  const happened = new Promise<void>((resolve, reject) => {
    video.addEventListener(name, () => resolve(), { once: true })
    video.addEventListener('error', () => reject(new Error('This video could not be decoded in this browser.')), { once: true })
  })
  return Promise.race([happened, limit.promise])
}

/**
 * Resolves once the element presents the frame at `time` (where the browser can say so: Chromium does, even for
 * a video outside the document), or after a short wait. A frame presented from before the seek does not count.
 */
function presented(video: HTMLVideoElement, time: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, PRESENT_WAIT_MS)
    if (!('requestVideoFrameCallback' in video)) return
    const watch = () =>
      video.requestVideoFrameCallback((_, frame) => {
        if (Math.abs(frame.mediaTime - time) > FRAME_S) return watch()
        clearTimeout(timer)
        resolve()
      })
    watch()
  })
}

async function frameAt(video: HTMLVideoElement, time: number, limit: Deadline): Promise<ImageBitmap> {
  // Asked before the seek, so the presentation of the sought frame is not missed.
  const shown = presented(video, time)
  video.currentTime = time
  await event(video, 'seeked', limit)
  await Promise.race([shown, limit.promise])
  return createImageBitmap(video)
}

/** Reads the first and/or last frame of the video at `src` (an object URL of the stored copy). */
export async function grabFrames(
  src: string,
  want: { first: boolean; last: boolean },
  timeoutMs = GRAB_TIMEOUT_MS,
): Promise<GrabbedFrames> {
  const limit = deadline(timeoutMs)
  const video = document.createElement('video')
  const made: ImageBitmap[] = []
  try {
    video.muted = true
    video.playsInline = true
    video.preload = 'auto'
    video.src = src
    await event(video, 'loadedmetadata', limit)
    const times = grabTimes(video.duration)
    const out: GrabbedFrames = { width: video.videoWidth, height: video.videoHeight }
    if (want.first) made.push((out.first = await frameAt(video, times.first, limit)))
    if (want.last) made.push((out.last = await frameAt(video, times.last, limit)))
    made.length = 0
    return out
  } finally {
    limit.clear()
    // Bitmaps of a failed grab are nobody's: free their pixels now.
    for (const bitmap of made) bitmap.close()
    video.removeAttribute('src')
    video.load()
  }
}

import type { Rect } from './crop'
import type { FrameMime } from './image-type'

export interface CropJob {
  id: number
  blob: Blob
  /** What to keep, in fractions of the frame. */
  kept: Rect
  /** Output pixels. */
  width: number
  height: number
  /** A PNG source stays PNG only where it has transparency; everything else becomes a JPEG at 0.92. */
  sourceMime: FrameMime
}

export type CropAnswer = { id: number; ok: true; blob: Blob; mime: FrameMime } | { id: number; ok: false; message: string }

export interface CroppedFrame {
  blob: Blob
  mime: FrameMime
}

let worker: Worker | undefined
let nextId = 1
const waiting = new Map<number, { resolve(v: CroppedFrame): void; reject(e: Error): void }>()

function cropWorker(): Worker {
  if (worker) return worker
  worker = new Worker(new URL('./frame-crop.worker.ts', import.meta.url), { type: 'module' })
  worker.addEventListener('message', (event: MessageEvent<CropAnswer>) => {
    const answer = event.data
    const wait = waiting.get(answer.id)
    waiting.delete(answer.id)
    if (!wait) return
    if (answer.ok) wait.resolve({ blob: answer.blob, mime: answer.mime })
    else wait.reject(new Error(`The frame could not be cropped: ${answer.message}`))
  })
  worker.addEventListener('error', () => {
    for (const wait of waiting.values()) wait.reject(new Error('The frame could not be cropped in this browser.'))
    waiting.clear()
    worker = undefined
  })
  return worker
}

/** Crops `kept` out of a frame and scales it to `width`×`height`, in a Worker (never on the main thread). */
export function cropFrame(blob: Blob, kept: Rect, width: number, height: number, sourceMime: FrameMime): Promise<CroppedFrame> {
  return new Promise((resolve, reject) => {
    const id = nextId++
    waiting.set(id, { resolve, reject })
    // A Worker's postMessage takes no target origin.
    // oxlint-disable-next-line unicorn/require-post-message-target-origin
    cropWorker().postMessage({ id, blob, kept, width, height, sourceMime } satisfies CropJob)
  })
}

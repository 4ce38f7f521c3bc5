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
const waiting = new Map<number, { resolve(v: CroppedFrame): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }>()

/** A crop of a 20 MB frame takes well under a second; past this the worker is taken as lost, so Generate never hangs. */
export const CROP_TIMEOUT_MS = 30_000

/** The worker failed (or stopped answering): every waiting crop fails, and the next one starts a fresh worker. */
function dropWorker(message: string) {
  for (const wait of waiting.values()) {
    clearTimeout(wait.timer)
    wait.reject(new Error(message))
  }
  waiting.clear()
  worker?.terminate()
  worker = undefined
}

function cropWorker(): Worker {
  if (worker) return worker
  worker = new Worker(new URL('./frame-crop.worker.ts', import.meta.url), { type: 'module' })
  worker.addEventListener('message', (event: MessageEvent<CropAnswer>) => {
    const answer = event.data
    const wait = waiting.get(answer.id)
    waiting.delete(answer.id)
    if (!wait) return
    clearTimeout(wait.timer)
    if (answer.ok) wait.resolve({ blob: answer.blob, mime: answer.mime })
    else wait.reject(new Error(`The frame could not be cropped: ${answer.message}`))
  })
  worker.addEventListener('error', () => dropWorker('The frame could not be cropped in this browser.'))
  worker.addEventListener('messageerror', () => dropWorker('The cropped frame could not be read back.'))
  return worker
}

/** Crops `kept` out of a frame and scales it to `width`×`height`, in a Worker (never on the main thread). */
export function cropFrame(blob: Blob, kept: Rect, width: number, height: number, sourceMime: FrameMime): Promise<CroppedFrame> {
  return new Promise((resolve, reject) => {
    const id = nextId++
    const timer = setTimeout(() => dropWorker('Cropping the frame took too long. Try again, or use a smaller frame.'), CROP_TIMEOUT_MS)
    waiting.set(id, { resolve, reject, timer })
    // A Worker's postMessage takes no target origin.
    // oxlint-disable-next-line unicorn/require-post-message-target-origin
    cropWorker().postMessage({ id, blob, kept, width, height, sourceMime } satisfies CropJob)
  })
}

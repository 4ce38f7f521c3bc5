// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CROP_TIMEOUT_MS, cropFrame } from './frame-crop'

/** A Worker that takes the job and never answers, as one killed by the browser would. */
class SilentWorker extends EventTarget {
  static made = 0
  static terminated = 0
  constructor() {
    super()
    SilentWorker.made += 1
  }
  postMessage() {}
  terminate() {
    SilentWorker.terminated += 1
  }
}

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('cropFrame', () => {
  it('gives up on a worker that never answers, so a send never hangs, and starts a fresh one next time', async () => {
    vi.useFakeTimers()
    vi.stubGlobal('Worker', SilentWorker)
    const whole = { x: 0, y: 0, w: 1, h: 1 }
    const outcome = (crop: Promise<unknown>) =>
      crop.then(
        () => 'cropped',
        (e: Error) => e.message,
      )
    const first = outcome(cropFrame(new Blob(['x']), whole, 16, 9, 'image/png'))
    await vi.advanceTimersByTimeAsync(CROP_TIMEOUT_MS)
    expect(await first).toContain('took too long')
    expect(SilentWorker.terminated).toBe(1)
    const second = outcome(cropFrame(new Blob(['x']), whole, 16, 9, 'image/png'))
    expect(SilentWorker.made).toBe(2)
    await vi.advanceTimersByTimeAsync(CROP_TIMEOUT_MS)
    expect(await second).toContain('took too long')
  })
})

// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PROBE_TIMEOUT_MS, ProbeLost, frameBase64, openInWorker, thumbSize } from './frame-probe'

/** A Worker that takes the call and never answers, as one killed by the browser would. */
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

/** A Worker whose script fails to start: it says so with an error event, and never answers. */
class BrokenWorker extends SilentWorker {
  override postMessage() {
    queueMicrotask(() => this.dispatchEvent(new Event('error')))
  }
}

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('thumbSize', () => {
  it.each([
    [5000, 4000, { width: 480, height: 384 }],
    [4000, 3000, { width: 480, height: 360 }],
    [720, 1280, { width: 480, height: 853 }],
    [320, 200, { width: 320, height: 200 }], // never enlarged
    [100_000, 10, { width: 480, height: 1 }], // never zero
  ])('%i×%i → %o', (w, h, want) => expect(thumbSize(w, h, 480)).toEqual(want))
})

describe('openInWorker', () => {
  const want = { hash: true, thumb: true }
  it('gives up on a worker that never answers, so a drop never hangs, and starts a fresh one next time', async () => {
    vi.useFakeTimers()
    vi.stubGlobal('Worker', SilentWorker)
    const first = openInWorker(new Blob(['x']), want).catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(PROBE_TIMEOUT_MS)
    const lost = await first
    expect(lost).toBeInstanceOf(ProbeLost)
    expect((lost as Error).message).toContain('took too long')
    expect(SilentWorker.terminated).toBe(1)
    const made = SilentWorker.made
    const second = openInWorker(new Blob(['x']), want).catch((e: unknown) => e)
    expect(SilentWorker.made).toBe(made + 1)
    await vi.advanceTimersByTimeAsync(PROBE_TIMEOUT_MS)
    expect(await second).toBeInstanceOf(ProbeLost)
  })

  it('fails at once, not at the timeout, when the worker cannot start', async () => {
    vi.stubGlobal('Worker', BrokenWorker)
    await expect(openInWorker(new Blob(['x']), want)).rejects.toThrow('the worker stopped')
  })
})

describe('frameBase64', () => {
  it('encodes here, with the same answer, when the worker cannot start', async () => {
    vi.stubGlobal('Worker', BrokenWorker)
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 31) % 256)
    const made = BrokenWorker.made
    expect(await frameBase64(new Blob([bytes]))).toBe(Buffer.from(bytes).toString('base64'))
    expect(BrokenWorker.made).toBe(made + 1)
  })
})

// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest'
import { probeFrame } from './image'

const bytes = (...b: number[]) => new Uint8Array([...b, ...Array.from({ length: 16 }, () => 0)])

describe('probeFrame', () => {
  it('refuses a GIF named .png, naming the frame and the fix', async () => {
    const gif = new File([new TextEncoder().encode('GIF89a' + 'x'.repeat(30))], 'frame.png', { type: 'image/png' })
    await expect(probeFrame(gif, 'Last frame')).rejects.toThrow('Last frame is a GIF. Use a JPEG or PNG.')
  })
  it('refuses a file over 20 MB', async () => {
    const big = new Blob([bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), new Uint8Array(25 * 1024 * 1024)])
    await expect(probeFrame(big, 'First frame')).rejects.toThrow('First frame is 25.0 MB, over the 20 MB limit')
  })
})

describe('probeFrame without its worker', () => {
  const png = () => new Blob([bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)])
  /** A worker this browser cannot start: the frame is still checked, on the main thread. */
  class BrokenWorker extends EventTarget {
    postMessage() {
      queueMicrotask(() => this.dispatchEvent(new Event('error')))
    }
    terminate() {}
  }
  afterEach(() => vi.unstubAllGlobals())

  it('still checks the frame on the main thread', async () => {
    vi.stubGlobal('Worker', BrokenWorker)
    vi.stubGlobal('createImageBitmap', async () => ({ width: 5000, height: 4000, close() {} }))
    await expect(probeFrame(png(), 'First frame')).resolves.toEqual({ mime: 'image/png', width: 5000, height: 4000, bytes: 24 })
  })
  it('says an undecodable frame looks damaged, in the same words', async () => {
    vi.stubGlobal('Worker', BrokenWorker)
    vi.stubGlobal('createImageBitmap', async () => Promise.reject(new DOMException('bad', 'InvalidStateError')))
    await expect(probeFrame(png(), 'Last frame')).rejects.toThrow(
      'Last frame could not be opened: the file looks damaged. Export it again as a JPEG or PNG.',
    )
  })
})

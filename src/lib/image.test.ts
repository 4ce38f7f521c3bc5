import { describe, expect, it } from 'vitest'
import { coverCrop, probeFrame } from './image'

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

describe('coverCrop', () => {
  it('keeps all of a frame of the same aspect', () => {
    expect(coverCrop(1920, 1080, 16 / 9)).toEqual({ x: 0, y: 0, w: 1, h: 1 })
  })
  it('crops the sides of a wide frame for portrait output', () => {
    const crop = coverCrop(1600, 900, 9 / 16)
    expect(crop.w).toBeCloseTo(0.316, 3)
    expect(crop.x).toBeCloseTo((1 - crop.w) / 2, 6)
  })
  it('crops top and bottom of a square frame for landscape output', () => {
    expect(coverCrop(1000, 1000, 16 / 9)).toMatchObject({ x: 0, w: 1, h: 0.5625 })
  })
})

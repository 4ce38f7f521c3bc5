// @vitest-environment node
import { describe, expect, it } from 'vitest'
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

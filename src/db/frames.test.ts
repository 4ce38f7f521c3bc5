// @vitest-environment node
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { sha256Hex } from '../lib/bytes'
import { answerWith, fakeLibrary, withFakeLibrary } from '../test/fake-library'
import { FRAME_NOT_KEPT, frameBlob, keepFrame } from './frames'

// In Node, where the bytes a Blob body uploads are the bytes hashed (see submit.test.ts).
vi.stubGlobal('location', new URL('http://localhost:3000/'))
withFakeLibrary()

// The frame's check and hash happen in a worker from one decode; here, the facts it would give.
vi.mock('../lib/image', async () => {
  const { sha256Hex: hash } = await import('../lib/bytes')
  return {
    openFrame: async (file: Blob) => ({
      mime: 'image/png',
      width: 1920,
      height: 1080,
      bytes: file.size,
      hash: await hash(file),
      thumb: undefined,
    }),
  }
})

const frameFile = (text: string) => new Blob([text], { type: 'image/png' })
const puts = () => fakeLibrary.calls.filter((c) => c.method === 'PUT').map((c) => c.path)

describe('keepFrame', () => {
  it("puts the frame's own bytes in the library by their hash, and a frame kept again is not sent again", async () => {
    const file = frameFile(`first ${Math.random()}`)
    const hash = await sha256Hex(file)
    const kept = await keepFrame(file, 'First frame', 'dunes at dawn.png')
    expect(kept).toEqual({
      kind: 'stored',
      hash,
      mime: 'image/png',
      width: 1920,
      height: 1080,
      bytes: file.size,
      name: 'dunes at dawn.png',
    })
    expect(puts()).toEqual([`/frames/${hash}?width=1920&height=1080&name=dunes+at+dawn.png`])
    expect(await (await frameBlob(hash)).text()).toBe(await file.text())
    await keepFrame(file, 'First frame', 'dunes at dawn.png')
    expect(puts()).toHaveLength(1)
  })

  it('does not send a frame the library holds already (dropped in another tab, or before a reload)', async () => {
    const file = frameFile(`held ${Math.random()}`)
    const hash = await sha256Hex(file)
    fakeLibrary.frames.set(hash, { hash, mime: 'image/png', width: 1920, height: 1080, bytes: file.size, name: 'held.png', addedAt: 1 })
    await keepFrame(file, 'Last frame', 'held.png')
    expect(puts()).toEqual([])
  })

  it("says when the gateway's disk is full, and names the frame when the gateway cannot be reached", async () => {
    answerWith(
      http.put('*/api/library/frames/:hash', () =>
        HttpResponse.json({ code: 507, reason: 'SERVICE_NOT_AVAILABLE', message: 'full', metadata: {} }, { status: 507 }),
      ),
    )
    await expect(keepFrame(frameFile(`full ${Math.random()}`), 'First frame')).rejects.toThrow(FRAME_NOT_KEPT)
    answerWith(http.get('*/api/library/frames/:hash', () => HttpResponse.error()))
    await expect(keepFrame(frameFile(`away ${Math.random()}`), 'Last frame')).rejects.toThrow(
      "Last frame was not kept. The studio can't reach its gateway. Check that it is still running, then try again.",
    )
  })
})

describe('frameBlob', () => {
  it('says so when a frame is no longer in the library', async () => {
    await expect(frameBlob('0'.repeat(64))).rejects.toThrow('A frame of this request is no longer in the library. Add it again.')
  })
})

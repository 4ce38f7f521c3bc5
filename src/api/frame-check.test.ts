import { afterEach, describe, expect, it, vi } from 'vitest'
import { checkFrameUrl } from './frame-check'

const answer = (status: number, body: unknown) =>
  vi.fn<typeof fetch>(async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))

afterEach(() => vi.unstubAllGlobals())

describe('checkFrameUrl', () => {
  it('asks the gateway with the address encoded, and reads its answer', async () => {
    const fetch = answer(200, { mime: 'image/png', width: 1280, height: 720, bytes: 123_456 })
    vi.stubGlobal('fetch', fetch)
    const result = await checkFrameUrl('https://example.com/a frame.png?x=1&y=2')
    expect(result).toEqual({ ok: true, frame: { mime: 'image/png', width: 1280, height: 720, bytes: 123_456 } })
    const called = new URL(String(fetch.mock.calls[0]?.[0]))
    expect(called.pathname).toBe('/api/frame-check')
    expect(called.searchParams.get('url')).toBe('https://example.com/a frame.png?x=1&y=2')
  })

  it("passes on the gateway's plain sentence when the address can't be used", async () => {
    vi.stubGlobal(
      'fetch',
      answer(400, {
        code: 400,
        reason: 'INVALID_REQUEST_BODY',
        message: "This address can't be reached. Check the link, or drop the file instead.",
        metadata: { detail: 'ENOTFOUND' },
      }),
    )
    expect(await checkFrameUrl('https://nowhere.invalid/x.png')).toEqual({
      ok: false,
      message: "This address can't be reached. Check the link, or drop the file instead.",
    })
  })

  it('refuses an answer that is not an image description', async () => {
    vi.stubGlobal('fetch', answer(200, { mime: 'image/gif', width: 1, height: 1, bytes: 1 }))
    expect(await checkFrameUrl('https://example.com/a.gif')).toMatchObject({ ok: false })
  })
})

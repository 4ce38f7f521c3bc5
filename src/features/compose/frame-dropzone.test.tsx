import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { FrameRef } from '../../db/db'
import { findModel } from '../../models'
import { FrameDropzone } from './frame-dropzone'

const lastFrame = findModel('veo-3.1-generate-firstlastframe')!.frames[1]!

function renderZone() {
  const onChange = vi.fn<(frame: FrameRef | undefined) => void>()
  render(<FrameDropzone spec={lastFrame} frame={undefined} aspect={16 / 9} aspectLabel="16:9" onChange={onChange} />)
  return onChange
}

/** The gateway's answer to /api/frame-check, held until `release` so "Checking…" can be seen. */
function gateway(status: number, body: unknown) {
  let release = () => {}
  const held = new Promise<void>((resolve) => (release = resolve))
  const fetch = vi.fn<typeof globalThis.fetch>(async () => {
    await held
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
  })
  vi.stubGlobal('fetch', fetch)
  return { fetch, release }
}

async function giveUrl(url: string) {
  const user = userEvent.setup()
  await user.click(screen.getByRole('button', { name: 'Image URL' }))
  await user.type(screen.getByLabelText('Last frame URL'), url)
  await user.click(screen.getByRole('button', { name: 'Use' }))
}

afterEach(() => vi.unstubAllGlobals())

describe('a frame given by URL', () => {
  it("is refused in its zone when the gateway can't fetch it", async () => {
    const onChange = renderZone()
    const { release } = gateway(400, {
      code: 400,
      reason: 'INVALID_REQUEST_BODY',
      message: "This address can't be reached. Check the link, or drop the file instead.",
      metadata: { detail: 'ENOTFOUND' },
    })
    await giveUrl('https://nowhere.invalid/last.png')
    expect(screen.getByText('Checking…')).toBeInTheDocument()
    release()
    expect(await screen.findByRole('alert')).toHaveTextContent(
      "Last frame: this address can't be reached. Check the link, or drop the file instead.",
    )
    expect(onChange).not.toHaveBeenCalled()
  })

  it('is taken with the size the gateway read', async () => {
    const onChange = renderZone()
    const { fetch, release } = gateway(200, { mime: 'image/jpeg', width: 4000, height: 3000, bytes: 2_000_000 })
    await giveUrl('https://example.com/last.jpg')
    release()
    await vi.waitFor(() =>
      expect(onChange).toHaveBeenCalledWith({ kind: 'url', url: 'https://example.com/last.jpg', width: 4000, height: 3000 }),
    )
    expect(String(fetch.mock.calls[0]?.[0])).toContain('/api/frame-check?url=https%3A%2F%2Fexample.com%2Flast.jpg')
    expect(screen.queryByRole('alert')).toBeNull()
  })
})

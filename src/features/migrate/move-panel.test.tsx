import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../api/errors'
import { deleteLegacyLibrary, legacyDb } from '../../db/legacy-library'
import { withFakeLibrary } from '../../test/fake-library'
import { LibraryMove } from './library-move'
import type { MoveOptions, MoveOutcome } from './move-library'
import { resetMove } from './move-job'

/* The panel and its states; the move itself is tested in move-library.test.ts. Here it is a stand-in the test drives. */
const move = vi.hoisted(() => ({ run: vi.fn<(o: MoveOptions) => Promise<MoveOutcome>>() }))
vi.mock('./move-library', async (original) => ({ ...(await original<object>()), moveLibrary: move.run }))

withFakeLibrary()
afterEach(async () => {
  resetMove()
  move.run.mockReset()
  await deleteLegacyLibrary()
})

const GB = 1024 ** 3

function renderStudio() {
  return render(
    <QueryClientProvider client={new QueryClient()}>
      <LibraryMove />
    </QueryClientProvider>,
  )
}

/** A move that reports where it is, then waits until the test lets it end (or Pause stops it). */
function driveMove() {
  let finish: (o: MoveOutcome) => void = () => {}
  move.run.mockImplementation(
    ({ onProgress, signal }) =>
      new Promise((resolve, reject) => {
        onProgress?.({ done: 412, total: 1030, bytesDone: 1.2 * GB, bytesTotal: 3.4 * GB })
        signal?.addEventListener('abort', () => reject(new DOMException('Paused', 'AbortError')))
        finish = resolve
      }),
  )
  return { finish: (o: MoveOutcome) => finish(o) }
}

describe('Move your library to the gateway', () => {
  it('shows nothing when this browser holds no old library', async () => {
    renderStudio()
    await new Promise((r) => setTimeout(r, 50))
    expect(screen.queryByRole('region', { name: 'Move your library to the gateway' })).toBeNull()
    expect(move.run).not.toHaveBeenCalled()
  })

  it('starts by itself, shows items and bytes, pauses, resumes, and says how many items moved', async () => {
    await legacyDb().open()
    const { finish } = driveMove()
    renderStudio()
    const panel = within(await screen.findByRole('region', { name: 'Move your library to the gateway' }))
    expect(await panel.findByText('412 of 1,030 items · 1.2 GB of 3.4 GB')).toBeVisible()
    expect(panel.getByRole('progressbar', { name: 'Moving your library' })).toHaveAttribute('aria-valuenow', '35')
    expect(panel.getByText(/Nothing is deleted here until the gateway has confirmed every item\./)).toBeVisible()

    await userEvent.click(panel.getByRole('button', { name: 'Pause' }))
    expect(
      await panel.findByText(
        'Paused: 412 of 1,030 items · 1.2 GB of 3.4 GB. Nothing was deleted from this browser; Resume goes on from there.',
      ),
    ).toBeVisible()

    const resumed = driveMove()
    await userEvent.click(panel.getByRole('button', { name: 'Resume' }))
    expect(move.run).toHaveBeenCalledTimes(2)
    resumed.finish({ moved: 1030, failedRequests: 0, unbuilt: 0 })
    expect(await panel.findByRole('status')).toHaveTextContent(
      'Moved 1,030 items to the gateway. The old copy in this browser was deleted.',
    )
    await userEvent.click(panel.getByRole('button', { name: 'Close' }))
    expect(screen.queryByRole('region', { name: 'Move your library to the gateway' })).toBeNull()
    finish({ moved: 0, failedRequests: 0, unbuilt: 0 })
  })

  it("says why it stopped and that nothing was deleted; the gateway's full disk has its own way out; Try again goes on", async () => {
    await legacyDb().open()
    move.run.mockRejectedValueOnce(new ApiError({ kind: 'http', status: 507, message: "The gateway's disk is full." }))
    renderStudio()
    const panel = within(await screen.findByRole('region', { name: 'Move your library to the gateway' }))
    expect(await panel.findByRole('alert')).toHaveTextContent(
      "The gateway's disk is full, so the move stopped. Free space on the gateway's disk (Settings › Storage), then press Try again. Nothing was deleted from this browser.",
    )
    move.run.mockResolvedValueOnce({ moved: 3, failedRequests: 1, unbuilt: 0 })
    await userEvent.click(panel.getByRole('button', { name: 'Try again' }))
    expect(await panel.findByRole('status')).toHaveTextContent(
      'Moved 3 items to the gateway. The old copy in this browser was deleted. 1 request that had failed to send was not sent again.',
    )
  })

  it('an old library with nothing in it goes quietly', async () => {
    await legacyDb().open()
    move.run.mockResolvedValueOnce({ moved: 0, failedRequests: 0, unbuilt: 0 })
    renderStudio()
    await vi.waitFor(() => expect(move.run).toHaveBeenCalledOnce())
    await vi.waitFor(() => expect(screen.queryByRole('region', { name: 'Move your library to the gateway' })).toBeNull())
  })
})

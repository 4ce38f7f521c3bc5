import { act, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../api/errors'
import { fakeLibrary, fakeSample, seedSamples, withFakeLibrary } from '../../test/fake-library'
import ExportButton from './export-button'
import { TransferProgress } from './transfer-progress'
import TransferSection from './transfer-section'
import { resetTransfers, startTransfer, transferWords } from './use-transfer'

withFakeLibrary()
afterEach(() => resetTransfers())

describe('Settings › Back up and move', () => {
  it('offers Export gallery and Import, a file input with a visible label that takes a .zip', () => {
    render(<TransferSection />)
    const region = screen.getByRole('region', { name: 'Back up and move' })
    expect(region).toContainElement(screen.getByRole('button', { name: 'Export gallery' }))
    const input = screen.getByLabelText('Import')
    expect(input).toHaveAttribute('type', 'file')
    expect(input).toHaveAttribute('accept', '.zip,application/zip')
    expect(screen.getByText('Import')).toBeVisible()
  })

  it('refuses a file that is not a zip with words and Details, and writes nothing', async () => {
    render(<TransferSection />)
    await userEvent.upload(screen.getByLabelText('Import'), new File(['hello, not a zip at all'], 'notes.zip', { type: 'application/zip' }))
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('This file is not a Veo Studio export: it is not a zip file. Nothing was imported.')
    expect(alert).toHaveTextContent('Details')
  })
})

describe('closing Settings during an import', () => {
  it('does not stop it: the section, opened again, shows its progress, then what it imported', async () => {
    let finish: (note: string) => void = () => {}
    let signal: AbortSignal | undefined
    const first = render(<TransferSection />)
    let done: Promise<void> = Promise.resolve()
    act(() => {
      done = startTransfer('import', 'import', (io) => {
        signal = io.signal
        io.onProgress(0.5)
        return new Promise<string>((resolve) => (finish = resolve))
      })
    })
    expect(screen.getByRole('progressbar', { name: 'Import' })).toHaveAttribute('aria-valuenow', '50')
    expect(screen.getByText('Closing Settings does not stop it.')).toBeVisible()
    first.unmount()
    expect(signal?.aborted).toBe(false)
    render(<TransferSection />)
    expect(screen.getByRole('progressbar', { name: 'Import' })).toHaveAttribute('aria-valuenow', '50')
    await act(async () => {
      finish('Imported 2 samples.')
      await done
    })
    expect(screen.getByRole('status')).toHaveTextContent('Imported 2 samples.')
  })
})

describe('the words of a failed transfer', () => {
  it("the gateway's full disk: an import says nothing was imported, and where to free space", () => {
    const full = new ApiError({ kind: 'http', status: 507, message: "The gateway's disk is full, so the file was not kept." })
    expect(transferWords(full, 'import').message).toBe(
      "There is not enough room on the gateway's disk for this import: nothing was imported. Free space on the gateway's disk (Settings › Storage), then try again.",
    )
    expect(transferWords(full, 'export').message).toMatch(/: no file was saved\./)
  })

  it('no gateway: what failed, what it means, and the way out', () => {
    const away = new ApiError({ kind: 'network', message: 'Could not reach the gateway.' })
    expect(transferWords(away, 'import').message).toBe(
      "The import failed: nothing was imported. The studio can't reach its gateway. Check that it is still running, then try again.",
    )
  })
})

describe('the progress of an export or import', () => {
  it('is a progressbar named Export or Import, with its value, and Cancel while it is cheap', async () => {
    const cancel = vi.fn<() => void>()
    const { rerender } = render(<TransferProgress label="Import" value={0.424} onCancel={cancel} />)
    const bar = screen.getByRole('progressbar', { name: 'Import' })
    expect(bar).toHaveAttribute('aria-valuenow', '42')
    await userEvent.click(screen.getByRole('button', { name: 'Cancel import' }))
    expect(cancel).toHaveBeenCalledOnce()
    rerender(<TransferProgress label="Import" value={0.9} />)
    expect(screen.getByRole('progressbar', { name: 'Import' })).toHaveAttribute('aria-valuenow', '90')
    expect(screen.queryByRole('button', { name: 'Cancel import' })).toBeNull()
  })

  it('Export with no video kept on the gateway says so and saves nothing', async () => {
    seedSamples(fakeSample({ id: 'local:t1#0', stored: false }))
    render(<ExportButton scope={{ kind: 'selection', sampleIds: ['local:t1#0'] }} label="Export" />)
    await userEvent.click(screen.getByRole('button', { name: 'Export' }))
    expect(await screen.findByRole('status')).toHaveTextContent('Nothing to export: no video is kept on the gateway yet.')
    expect(fakeLibrary.calls.some((c) => c.path.startsWith('/files/'))).toBe(false)
  })
})

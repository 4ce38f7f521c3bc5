import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { StrictMode, type ReactNode } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { answerWith, withFakeLibrary } from '../../test/fake-library'
import { SettingsStorage } from './settings-storage'
import { requestStorageSection } from './storage-focus'

const library = withFakeLibrary()
const GB = 1024 ** 3

const renderWithLibrary = (ui: ReactNode) =>
  render(<QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>{ui}</QueryClientProvider>)

describe('Settings › Storage', () => {
  it("shows the gateway's data folder, how much the library takes and what takes it, and the free disk", async () => {
    library.storage.files = {
      videos: { count: 12, bytes: 2 * GB },
      posters: { count: 12, bytes: 1024 * 1024 },
      frames: { count: 2, bytes: 4 * 1024 * 1024 },
    }
    library.storage.disk = { freeBytes: 100 * GB, totalBytes: 400 * GB }
    renderWithLibrary(<SettingsStorage />)
    const section = screen.getByRole('region', { name: 'Storage' })
    expect(await within(section).findByText('/home/designer/.local/share/veo-studio')).toBeVisible()
    expect(within(section).getByText("The library takes 2.0 GB. The gateway's disk has 100.0 GB free of 400.0 GB.")).toBeVisible()
    expect(within(section).getByRole('progressbar', { name: 'Storage' })).toHaveAttribute('value', '75')
    expect(within(section).getByLabelText('What takes the space')).toHaveTextContent(
      'Database28.6 MBVideos12 videos · 2.0 GBPosters12 posters · 1.0 MBFrames2 frames · 4.0 MB',
    )
    expect(within(section).queryByRole('status')).toBeNull()
  })

  it('says when the full disk pauses the archive, with the way out; how to move the folder is under Details', async () => {
    library.storage.disk = { freeBytes: 0, totalBytes: 400 * GB }
    library.storage.paused = { reason: 'disk-full' }
    renderWithLibrary(<SettingsStorage />)
    const status = await screen.findByRole('status')
    expect(status).toHaveTextContent(/^The gateway's disk is full: archiving is paused.+Free space on the gateway's disk/)
    expect(within(status).getByText('Details')).toBeInTheDocument()
    expect(status).toHaveTextContent('STUDIO_DATA_DIR')
  })

  it('says so when the gateway cannot tell', async () => {
    answerWith(http.get('*/api/library/storage', () => HttpResponse.error()))
    renderWithLibrary(<SettingsStorage />)
    expect(await screen.findByRole('status')).toHaveTextContent(
      /^The gateway’s storage could not be read\. The studio can't reach its gateway/,
    )
  })

  it('opened from the banner, the Storage heading takes the focus, also under StrictMode', async () => {
    const scrolled = vi.fn<() => void>()
    Element.prototype.scrollIntoView = scrolled
    requestStorageSection()
    renderWithLibrary(
      <StrictMode>
        <SettingsStorage />
      </StrictMode>,
    )
    const heading = screen.getByRole('heading', { name: 'Storage' })
    try {
      await expect.poll(() => document.activeElement).toBe(heading)
      expect(scrolled).toHaveBeenCalledOnce()
    } finally {
      Reflect.deleteProperty(Element.prototype, 'scrollIntoView')
    }
  })
})

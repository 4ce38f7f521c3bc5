import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { libraryKeys } from '../api/library-queries'
import { OpenSettingsContext } from '../lib/open-settings'
import { withFakeLibrary } from '../test/fake-library'
import { takeStorageSectionRequest } from '../features/settings/storage-focus'
import { StorageFullBanner } from './storage-full-banner'

const library = withFakeLibrary()

describe('StorageFullBanner', () => {
  it("shows while the gateway's full disk pauses the archive, says the way out, and goes by itself once there is room", async () => {
    library.storage.paused = { reason: 'disk-full' }
    const open = vi.fn<() => void>()
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
    render(
      <QueryClientProvider client={client}>
        <OpenSettingsContext.Provider value={open}>
          <StorageFullBanner />
        </OpenSettingsContext.Provider>
      </QueryClientProvider>,
    )
    const banner = await screen.findByRole('alert')
    expect(banner).toHaveTextContent(
      /^The gateway's disk is full: archiving is paused, and new videos wait to be kept\. Free space on the gateway's disk: /,
    )
    expect(banner).toHaveTextContent(/Archiving goes on by itself once there is room\./)
    // Free space opens Settings at Storage, where the data folder and what takes the space are.
    await userEvent.click(screen.getByRole('button', { name: 'Free space' }))
    expect(open).toHaveBeenCalledOnce()
    expect(takeStorageSectionRequest()).toBe(true)
    // Room again (the change feed names storage, or the banner's own look while paused).
    library.storage.paused = null
    await client.invalidateQueries({ queryKey: libraryKeys.storage() })
    await vi.waitFor(() => expect(screen.queryByRole('alert')).toBeNull())
  })

  it('says nothing while the archive runs', async () => {
    render(
      <QueryClientProvider client={new QueryClient()}>
        <StorageFullBanner />
      </QueryClientProvider>,
    )
    await vi.waitFor(() => expect(library.calls.some((c) => c.path === '/storage')).toBe(true))
    expect(screen.queryByRole('alert')).toBeNull()
  })
})

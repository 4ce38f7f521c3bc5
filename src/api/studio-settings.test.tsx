import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { withFakeLibrary } from '../test/fake-library'

const library = withFakeLibrary()

afterEach(() => {
  localStorage.clear()
  vi.resetModules()
})

const saved = (state: Record<string, unknown>, version: number) => JSON.stringify({ state, version })

describe('Requests per minute, kept by the gateway', () => {
  it('is read from the gateway and saved there; the browser keeps none', async () => {
    const { useRequestsPerMinute, saveRequestsPerMinute } = await import('./studio-settings')
    library.settings.requestsPerMinute = 7
    const client = new QueryClient()
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>
    const { result } = renderHook(() => useRequestsPerMinute(), { wrapper })
    expect(result.current).toBe(10)
    await vi.waitFor(() => expect(result.current).toBe(7))
    await act(() => saveRequestsPerMinute(client, 30))
    expect(library.settings.requestsPerMinute).toBe(30)
    expect(client.getQueryData(['library', 'settings'])).toMatchObject({ requestsPerMinute: 30 })
    await vi.waitFor(() => expect(result.current).toBe(30))
    expect(localStorage.getItem('veo-studio.settings') ?? '').not.toContain('requestsPerMinute')
  })

  it("the previous version's pace goes to the gateway once, only while the gateway runs at its default", async () => {
    localStorage.setItem('veo-studio.settings', saved({ requestsPerMinute: 3, confirmSweepAbove: 5, prices: {} }, 1))
    const settings = await import('./studio-settings')
    // The rest of what was kept stays.
    expect(localStorage.getItem('veo-studio.settings')).not.toContain('requestsPerMinute')
    await settings.moveRequestsPerMinute()
    expect(library.settings.requestsPerMinute).toBe(3)
    await settings.moveRequestsPerMinute()
    expect(library.calls.filter((c) => c.method === 'PATCH')).toHaveLength(1)

    vi.resetModules()
    library.settings.requestsPerMinute = 20
    localStorage.setItem('veo-studio.settings', saved({ requestsPerMinute: 3, confirmSweepAbove: 5, prices: {} }, 1))
    await (await import('./studio-settings')).moveRequestsPerMinute()
    expect(library.settings.requestsPerMinute).toBe(20)
    expect(localStorage.getItem('veo-studio.rpm-to-move')).toBeNull()
  })
})

describe('studio settings across tabs', () => {
  it('a price changed in another tab is read here at once; a change to another key or to sessionStorage is not', async () => {
    const { usePrices } = await import('./studio-settings')
    const { result } = renderHook(() => usePrices())
    const value = saved({ confirmSweepAbove: 8, prices: { m: { silent: 0.4 } } }, 2)
    localStorage.setItem('veo-studio.settings', value)
    window.dispatchEvent(new StorageEvent('storage', { key: 'something-else', newValue: 'x', storageArea: localStorage }))
    window.dispatchEvent(new StorageEvent('storage', { key: 'veo-studio.settings', newValue: 'x', storageArea: sessionStorage }))
    expect(result.current).toEqual({})
    // Another tab wrote it: this tab hears a storage event (a tab never hears its own writes).
    act(
      () =>
        void window.dispatchEvent(new StorageEvent('storage', { key: 'veo-studio.settings', newValue: value, storageArea: localStorage })),
    )
    await vi.waitFor(() => expect(result.current).toEqual({ m: { silent: 0.4 } }))
  })
})

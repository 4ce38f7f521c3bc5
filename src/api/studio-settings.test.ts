import { describe, expect, it } from 'vitest'
import { currentRequestsPerMinute } from './studio-settings'

/* Settings saved in another tab: the tab running the submit queue paces by them. */

const saved = (requestsPerMinute: number) => JSON.stringify({ state: { requestsPerMinute, confirmSweepAbove: 8, prices: {} }, version: 1 })

describe('studio settings across tabs', () => {
  it('Requests per minute changed in another tab is read here at once', async () => {
    const old = localStorage.getItem('veo-studio.settings')
    const value = saved(3)
    // Another tab wrote it: this tab hears a storage event (a tab never hears its own writes).
    localStorage.setItem('veo-studio.settings', value)
    window.dispatchEvent(
      new StorageEvent('storage', { key: 'veo-studio.settings', oldValue: old, newValue: value, storageArea: localStorage }),
    )
    await expect.poll(currentRequestsPerMinute).toBe(3)
  })

  it('a change to another key, or to sessionStorage, is not read', () => {
    const before = currentRequestsPerMinute()
    localStorage.setItem('veo-studio.settings', saved(before + 4))
    window.dispatchEvent(new StorageEvent('storage', { key: 'something-else', newValue: 'x', storageArea: localStorage }))
    window.dispatchEvent(new StorageEvent('storage', { key: 'veo-studio.settings', newValue: 'x', storageArea: sessionStorage }))
    expect(currentRequestsPerMinute()).toBe(before)
  })
})

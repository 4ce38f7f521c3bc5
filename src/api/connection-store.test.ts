import { QueryClient } from '@tanstack/react-query'
import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { answerWith, withFakeLibrary } from '../test/fake-library'

const library = withFakeLibrary()
const KEY = 'sk-remembered-key-123456'

afterEach(() => {
  localStorage.clear()
  vi.resetModules()
})

/** The store as a page loads it, from what this browser kept before. */
async function loadWith(kept: unknown) {
  localStorage.setItem('veo-studio.connection', JSON.stringify(kept))
  return import('./connection-store')
}

describe('a key the previous version remembered in this browser', () => {
  it('goes to the gateway once, then is wiped from the browser; the provider stays', async () => {
    const store = await loadWith({ state: { provider: 'jiekou', apiKey: KEY, rememberKey: true }, version: 0 })
    // Out of the store at once.
    expect(localStorage.getItem('veo-studio.connection')).not.toContain(KEY)
    expect(store.currentProvider()).toBe('jiekou')
    await store.moveRememberedKey()
    expect(library.keptKey).toBe(KEY)
    expect(JSON.stringify({ ...localStorage })).not.toContain(KEY)
    await store.moveRememberedKey()
    expect(library.calls.filter((c) => c.method === 'PUT')).toHaveLength(1)
  })

  it('waits for the next start when the gateway cannot be reached, and is wiped when it is refused for good', async () => {
    answerWith(http.put('*/api/library/settings/provider-key', () => HttpResponse.error()))
    const store = await loadWith({ state: { provider: 'jiekou', apiKey: KEY, rememberKey: true }, version: 0 })
    await store.moveRememberedKey()
    expect(localStorage.getItem('veo-studio.key-to-move')).toBe(KEY)
    answerWith(
      http.put('*/api/library/settings/provider-key', () =>
        HttpResponse.json({ code: 409, reason: 'ACCESS_DENY', message: 'The gateway holds its own key.', metadata: {} }, { status: 409 }),
      ),
    )
    await store.moveRememberedKey()
    expect(localStorage.getItem('veo-studio.key-to-move')).toBeNull()
    expect(library.keptKey).toBeUndefined()
  })

  it('a key kept in memory only (not remembered) was never stored, and nothing is sent', async () => {
    const store = await loadWith({ state: { provider: 'local', apiKey: '', rememberKey: false }, version: 0 })
    await store.moveRememberedKey()
    expect(library.calls).toEqual([])
  })
})

describe("the gateway's key from Settings", () => {
  it('save and forget update the cached settings at once', async () => {
    const { saveProviderKey, forgetProviderKey } = await import('./connection-store')
    const { libraryKeys } = await import('./library-queries')
    const client = new QueryClient()
    client.setQueryData(libraryKeys.settings(), { requestsPerMinute: 10, providerKey: { held: false, source: null } })
    await saveProviderKey(client, KEY)
    expect(client.getQueryData(libraryKeys.settings())).toMatchObject({ providerKey: { held: true, source: 'gateway' } })
    await forgetProviderKey(client)
    expect(client.getQueryData(libraryKeys.settings())).toMatchObject({ providerKey: { held: false, source: null } })
    expect(library.keptKey).toBeUndefined()
  })
})

import type { QueryClient } from '@tanstack/react-query'
import * as z from 'zod/mini'
import { create } from 'zustand'
import { persist } from 'zustand/middleware'
import type { Connection } from './client'
import { isApiError } from './errors'
import type { ProviderId } from './gateway-urls'
import { librarySend } from './library-client'
import { libraryKeys, settingsSchema, type LibrarySettings } from './library-queries'

/*
 * The provider the designer works with, kept in this browser. The jiekou.ai key is not: the gateway keeps it (its
 * runner sends while no tab is open), so the browser sends none, and Settings only says whether the gateway holds one.
 */

interface ConnectionState {
  provider: ProviderId
}

interface ConnectionActions {
  setProvider(provider: ProviderId): void
}

const CONNECTION_KEY = 'veo-studio.connection'
/**
 * A key the previous version remembered in this browser, set aside (out of the store) until the gateway has it: moved
 * once by moveRememberedKey, then wiped.
 */
const KEY_TO_MOVE = 'veo-studio.key-to-move'

/** What the previous version kept: the key too, when the designer ticked "Remember on this device". */
interface StoredBefore {
  provider?: ProviderId
  apiKey?: string
  rememberKey?: boolean
}

const useConnectionStore = create<ConnectionState & { actions: ConnectionActions }>()(
  persist(
    (set) => ({
      provider: 'local',
      actions: {
        setProvider: (provider) => set({ provider }),
      },
    }),
    {
      name: CONNECTION_KEY,
      version: 1,
      partialize: (s) => ({ provider: s.provider }),
      // Version 0 kept the key: it leaves the store at once (the store is rewritten without it) and waits apart for
      // its move to the gateway.
      migrate: (persisted) => {
        const before = (persisted ?? {}) as StoredBefore
        const key = before.rememberKey ? before.apiKey?.trim() : undefined
        if (key) localStorage.setItem(KEY_TO_MOVE, key)
        return { provider: before.provider === 'jiekou' ? 'jiekou' : 'local' } as ConnectionState & { actions: ConnectionActions }
      },
    },
  ),
)

export const useProvider = () => useConnectionStore((s) => s.provider)
export const useConnectionActions = () => useConnectionStore((s) => s.actions)

/** The connection for a task sent to `provider`: the gateway adds the key it keeps. */
export function connectionFor(provider: ProviderId): Connection {
  return { provider }
}
export const currentProvider = () => useConnectionStore.getState().provider

/**
 * Moves a key the previous version remembered here to the gateway, once, then wipes it from this browser. An answer
 * that refuses it for good (the gateway holds its own key, or it is not a key) wipes it too; no answer keeps it for
 * the next start.
 */
export async function moveRememberedKey(): Promise<void> {
  const key = localStorage.getItem(KEY_TO_MOVE)
  if (!key) return
  try {
    await librarySend('PUT', '/settings/provider-key', { key }, z.unknown())
  } catch (e) {
    if (!isApiError(e) || e.transient) return
  }
  localStorage.removeItem(KEY_TO_MOVE)
}

const keyAnswer = z.object({ providerKey: settingsSchema.shape.providerKey })

/** After the gateway's key changed: Settings says so at once, and the header's badge asks the provider again. */
function keyChanged(client: QueryClient, providerKey: LibrarySettings['providerKey']): void {
  client.setQueryData<LibrarySettings>(libraryKeys.settings(), (s) => s && { ...s, providerKey })
  void client.invalidateQueries({ queryKey: ['provider-status'] })
}

/** Hands the jiekou.ai key to the gateway, which keeps it in its data folder and never gives it back. */
export async function saveProviderKey(client: QueryClient, key: string): Promise<void> {
  keyChanged(client, (await librarySend('PUT', '/settings/provider-key', { key }, keyAnswer)).providerKey)
}

/** Has the gateway forget the key kept from Settings (one set in JIEKOU_API_KEY stays). */
export async function forgetProviderKey(client: QueryClient): Promise<void> {
  keyChanged(client, (await librarySend('DELETE', '/settings/provider-key', undefined, keyAnswer)).providerKey)
}

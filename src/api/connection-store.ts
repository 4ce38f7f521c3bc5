import { create } from 'zustand'
import { persist } from 'zustand/middleware'
import type { Connection } from './client'
import type { ProviderId } from './gateway-urls'

interface ConnectionState {
  provider: ProviderId
  /** Held in memory; written to storage only when the designer ticks "Remember on this device". */
  apiKey: string
  rememberKey: boolean
}

interface ConnectionActions {
  setProvider(provider: ProviderId): void
  setApiKey(apiKey: string, remember: boolean): void
  forgetKey(): void
}

const useConnectionStore = create<ConnectionState & { actions: ConnectionActions }>()(
  persist(
    (set) => ({
      provider: 'local',
      apiKey: '',
      rememberKey: false,
      actions: {
        setProvider: (provider) => set({ provider }),
        setApiKey: (apiKey, rememberKey) => set({ apiKey: apiKey.trim(), rememberKey }),
        forgetKey: () => set({ apiKey: '', rememberKey: false }),
      },
    }),
    {
      name: 'veo-studio.connection',
      partialize: (s) => ({ provider: s.provider, rememberKey: s.rememberKey, apiKey: s.rememberKey ? s.apiKey : '' }),
    },
  ),
)

export const useProvider = () => useConnectionStore((s) => s.provider)
export const useApiKey = () => useConnectionStore((s) => s.apiKey)
export const useRememberKey = () => useConnectionStore((s) => s.rememberKey)
export const useConnectionActions = () => useConnectionStore((s) => s.actions)

/** The connection for a task sent to `provider`, with whatever key the designer has given. */
export function connectionFor(provider: ProviderId): Connection {
  return { provider, apiKey: useConnectionStore.getState().apiKey || undefined }
}
export const currentProvider = () => useConnectionStore.getState().provider

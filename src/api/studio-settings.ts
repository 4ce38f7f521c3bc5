import { create } from 'zustand'
import { persist } from 'zustand/middleware'

/** A model's price per second of video, in the designer's own currency; absent: not set, no cost shown. */
export interface ModelPrice {
  /** Per second of video without audio. */
  silent?: number | undefined
  /** Per second of video with audio. */
  withAudio?: number | undefined
}

interface StudioSettingsState {
  /** The submit queue sends at most this many requests in any 60 s. */
  requestsPerMinute: number
  /** A sweep of more tasks than this asks first. */
  confirmSweepAbove: number
  /** By model id. */
  prices: Record<string, ModelPrice>
}

interface StudioSettingsActions {
  setRequestsPerMinute(n: number): void
  setConfirmSweepAbove(n: number): void
  setPrice(modelId: string, price: ModelPrice): void
}

export const DEFAULT_REQUESTS_PER_MINUTE = 10
const SETTINGS_KEY = 'veo-studio.settings'
export const DEFAULT_CONFIRM_SWEEP_ABOVE = 8

const useStudioSettingsStore = create<StudioSettingsState & { actions: StudioSettingsActions }>()(
  persist(
    (set) => ({
      requestsPerMinute: DEFAULT_REQUESTS_PER_MINUTE,
      confirmSweepAbove: DEFAULT_CONFIRM_SWEEP_ABOVE,
      prices: {},
      actions: {
        setRequestsPerMinute: (requestsPerMinute) => set({ requestsPerMinute }),
        setConfirmSweepAbove: (confirmSweepAbove) => set({ confirmSweepAbove }),
        setPrice: (modelId, price) => set((s) => ({ prices: { ...s.prices, [modelId]: price } })),
      },
    }),
    {
      name: SETTINGS_KEY,
      version: 1,
      partialize: ({ requestsPerMinute, confirmSweepAbove, prices }) => ({ requestsPerMinute, confirmSweepAbove, prices }),
    },
  ),
)

/*
 * A change saved in another tab (Settings there) reaches this one: the tab that runs the submit queue must pace by the
 * Requests per minute the designer just set, wherever they set it. localStorage tells other tabs only, never the writer.
 */
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (e.storageArea === window.localStorage && (e.key === SETTINGS_KEY || e.key === null)) void useStudioSettingsStore.persist.rehydrate()
  })
}

export const useRequestsPerMinute = () => useStudioSettingsStore((s) => s.requestsPerMinute)
export const useConfirmSweepAbove = () => useStudioSettingsStore((s) => s.confirmSweepAbove)
export const usePrices = () => useStudioSettingsStore((s) => s.prices)
export const useStudioSettingsActions = () => useStudioSettingsStore((s) => s.actions)
/** Read outside render (the submit queue reads the limit at each send). */
export const currentRequestsPerMinute = () => useStudioSettingsStore.getState().requestsPerMinute

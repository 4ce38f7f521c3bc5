import { useQuery, type QueryClient } from '@tanstack/react-query'
import * as z from 'zod/mini'
import { isApiError } from './errors'
import { libraryGet, librarySend } from './library-client'
import { libraryKeys, libraryQueries, settingsSchema, type LibrarySettings } from './library-queries'
import { create } from 'zustand'
import { persist } from 'zustand/middleware'

/*
 * The studio's settings. Requests per minute is the gateway's (its runner keeps to it while no tab is open): read from
 * the library and changed there. The rest is this designer's way of working, kept in this browser: when a sweep asks
 * first, and the prices that let a sweep show its cost.
 */

/** A model's price per second of video, in the designer's own currency; absent: not set, no cost shown. */
export interface ModelPrice {
  /** Per second of video without audio. */
  silent?: number | undefined
  /** Per second of video with audio. */
  withAudio?: number | undefined
}

interface StudioSettingsState {
  /** A sweep of more tasks than this asks first. */
  confirmSweepAbove: number
  /** By model id. */
  prices: Record<string, ModelPrice>
}

interface StudioSettingsActions {
  setConfirmSweepAbove(n: number): void
  setPrice(modelId: string, price: ModelPrice): void
}

/** The gateway's own default (server/library/runner/runner.ts), shown until its answer comes. */
export const DEFAULT_REQUESTS_PER_MINUTE = 10
const SETTINGS_KEY = 'veo-studio.settings'
/** Requests per minute the previous version kept in this browser, set aside until the gateway has it. */
const RPM_TO_MOVE = 'veo-studio.rpm-to-move'
export const DEFAULT_CONFIRM_SWEEP_ABOVE = 8

const useStudioSettingsStore = create<StudioSettingsState & { actions: StudioSettingsActions }>()(
  persist(
    (set) => ({
      confirmSweepAbove: DEFAULT_CONFIRM_SWEEP_ABOVE,
      prices: {},
      actions: {
        setConfirmSweepAbove: (confirmSweepAbove) => set({ confirmSweepAbove }),
        setPrice: (modelId, price) => set((s) => ({ prices: { ...s.prices, [modelId]: price } })),
      },
    }),
    {
      name: SETTINGS_KEY,
      version: 2,
      partialize: ({ confirmSweepAbove, prices }) => ({ confirmSweepAbove, prices }),
      // Version 1 kept Requests per minute here: a pace the designer chose waits apart for its move to the gateway.
      migrate: (persisted) => {
        const { requestsPerMinute, ...rest } = (persisted ?? {}) as Partial<StudioSettingsState> & { requestsPerMinute?: number }
        if (typeof requestsPerMinute === 'number' && requestsPerMinute !== DEFAULT_REQUESTS_PER_MINUTE)
          localStorage.setItem(RPM_TO_MOVE, String(requestsPerMinute))
        return rest as StudioSettingsState & { actions: StudioSettingsActions }
      },
    },
  ),
)

/* A price or the sweep threshold saved in another tab reaches this one: localStorage tells other tabs only. */
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (e.storageArea === window.localStorage && (e.key === SETTINGS_KEY || e.key === null)) void useStudioSettingsStore.persist.rehydrate()
  })
}

export const useConfirmSweepAbove = () => useStudioSettingsStore((s) => s.confirmSweepAbove)
export const usePrices = () => useStudioSettingsStore((s) => s.prices)
export const useStudioSettingsActions = () => useStudioSettingsStore((s) => s.actions)

/** The pace the gateway's runner sends at, every send counted (the default until the gateway has answered). */
export const useRequestsPerMinute = () =>
  useQuery({ ...libraryQueries.settings(), select: (s) => s.requestsPerMinute }).data ?? DEFAULT_REQUESTS_PER_MINUTE

/** Sets the gateway's pace; the cached settings show it at once. */
export async function saveRequestsPerMinute(client: QueryClient, requestsPerMinute: number): Promise<void> {
  const saved = await librarySend('PATCH', '/settings', { requestsPerMinute }, z.object({ requestsPerMinute: z.number() }))
  client.setQueryData<LibrarySettings>(libraryKeys.settings(), (s) => s && { ...s, requestsPerMinute: saved.requestsPerMinute })
}

/**
 * Moves the pace the previous version kept here to the gateway, once: only while the gateway still runs at its
 * default, so a pace set there since (from another browser) is never overwritten. No answer keeps it for the next start.
 */
export async function moveRequestsPerMinute(): Promise<void> {
  const kept = Number(localStorage.getItem(RPM_TO_MOVE))
  if (!kept) return
  try {
    const now = await libraryGet('/settings', settingsSchema)
    if (now.requestsPerMinute === DEFAULT_REQUESTS_PER_MINUTE)
      await librarySend('PATCH', '/settings', { requestsPerMinute: kept }, z.unknown())
  } catch (e) {
    if (!isApiError(e) || e.transient) return
  }
  localStorage.removeItem(RPM_TO_MOVE)
}

import { create } from 'zustand'
import { persist } from 'zustand/middleware'
import type { VaryKey } from '../../db/db'

/** The sweep as the designer is writing it: text as typed, so a half-written seed list is never lost to parsing. */
interface SweepDraft {
  variantsText: string
  seedsText: string
  /** How many seeds Random seeds fills in. */
  randomCount: number
  varyKey: VaryKey | 'none'
  /** The values ticked for each key; absent: every value the catalogue allows. */
  varyValues: Partial<Record<VaryKey, (string | number)[]>>
}

interface SweepActions {
  setVariantsText(text: string): void
  setSeedsText(text: string): void
  setRandomCount(n: number): void
  setVaryKey(key: VaryKey | 'none'): void
  setVaryValues(key: VaryKey, values: (string | number)[]): void
  reset(): void
}

export const DEFAULT_RANDOM_COUNT = 3

const empty: SweepDraft = { variantsText: '', seedsText: '', randomCount: DEFAULT_RANDOM_COUNT, varyKey: 'none', varyValues: {} }

const useSweepStore = create<SweepDraft & { actions: SweepActions }>()(
  persist(
    (set) => ({
      ...empty,
      actions: {
        setVariantsText: (variantsText) => set({ variantsText }),
        setSeedsText: (seedsText) => set({ seedsText }),
        setRandomCount: (randomCount) => set({ randomCount }),
        setVaryKey: (varyKey) => set({ varyKey }),
        setVaryValues: (key, values) => set((s) => ({ varyValues: { ...s.varyValues, [key]: values } })),
        reset: () => set(empty),
      },
    }),
    {
      name: 'veo-studio.sweep',
      version: 1,
      partialize: ({ variantsText, seedsText, randomCount, varyKey, varyValues }) => ({
        variantsText,
        seedsText,
        randomCount,
        varyKey,
        varyValues,
      }),
    },
  ),
)

export const useVariantsText = () => useSweepStore((s) => s.variantsText)
export const useSeedsText = () => useSweepStore((s) => s.seedsText)
export const useRandomCount = () => useSweepStore((s) => s.randomCount)
export const useVaryKey = () => useSweepStore((s) => s.varyKey)
export const useVaryValues = () => useSweepStore((s) => s.varyValues)
export const useSweepActions = () => useSweepStore((s) => s.actions)

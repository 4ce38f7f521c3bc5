import { create } from 'zustand'

/*
 * Which samples the designer has ticked with Select: one selection shared by the gallery and the boards (and, next,
 * compare), so a sample picked on a board is still picked in the gallery. Not persisted: a selection is of the moment.
 */
interface SelectionState {
  ids: ReadonlySet<string>
  actions: {
    toggle(id: string, on: boolean): void
    clear(): void
    /** Drops ids no longer shown anywhere (deleted samples). */
    keepOnly(ids: Iterable<string>): void
  }
}

const useSelectionStore = create<SelectionState>()((set) => ({
  ids: new Set(),
  actions: {
    toggle: (id, on) =>
      set((s) => {
        if (s.ids.has(id) === on) return s
        const ids = new Set(s.ids)
        if (on) ids.add(id)
        else ids.delete(id)
        return { ids }
      }),
    clear: () => set({ ids: new Set() }),
    keepOnly: (keep) =>
      set((s) => {
        const wanted = new Set(keep)
        const ids = new Set([...s.ids].filter((id) => wanted.has(id)))
        return ids.size === s.ids.size ? s : { ids }
      }),
  },
}))

export const useSelectedIds = () => useSelectionStore((s) => s.ids)
export const useIsSelected = (id: string) => useSelectionStore((s) => s.ids.has(id))
/** Something is selected: every Select checkbox then shows, not only on hover. */
export const useHasSelection = () => useSelectionStore((s) => s.ids.size > 0)
export const useSelectionActions = () => useSelectionStore((s) => s.actions)

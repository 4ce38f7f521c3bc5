import { create } from 'zustand'

/*
 * What can still be taken back (a delete in the gallery, a bulk delete from the selection bar), shown as one toast
 * each by the studio's one Undo stack (components/ui/undo-toasts), whichever view made it and whichever view shows.
 */
export interface Undoable {
  /** One toast per key: offering a key already shown does nothing (it keeps its clock and its focus). */
  key: string
  message: string
  /** When its toast goes (ms since epoch); the clock pauses while the pointer or the focus is on it. */
  until: number
  /** Move the focus to Undo when it appears (the control that led here has gone). */
  focus?: boolean | undefined
  undo(): void
  /** Closed without Undo (Close, Esc, time): the action stands for good. */
  expire(): void
}

interface UndoState {
  items: readonly Undoable[]
  actions: {
    offer(item: Undoable): void
    settle(key: string, undo: boolean): void
  }
}

const useUndoStore = create<UndoState>()((set, get) => ({
  items: [],
  actions: {
    offer: (item) => set((s) => (s.items.some((x) => x.key === item.key) ? s : { items: [...s.items, item] })),
    settle: (key, undo) => {
      const item = get().items.find((x) => x.key === key)
      if (!item) return
      set((s) => ({ items: s.items.filter((x) => x !== item) }))
      if (undo) item.undo()
      else item.expire()
    },
  },
}))

export const useUndoables = () => useUndoStore((s) => s.items)
export const useUndoActions = () => useUndoStore((s) => s.actions)

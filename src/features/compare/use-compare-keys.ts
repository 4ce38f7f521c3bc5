import { useEffect, useRef, type RefObject } from 'react'

export interface CompareKeys {
  togglePlay(): void
  step(by: number): void
  /** 1–4: hear that sample alone (again: nobody). */
  solo(index: number): void
  /** W: wipe on or off; absent when there is no wipe (three or four samples). */
  toggleWipe?: (() => void) | undefined
  /** Shift+arrows, when zoomed in: move the view by a share of the picture. */
  pan(dx: number, dy: number): void
  close(): void
  count: number
  /** The comparison: its keys act while the focus is in it (or nowhere), never while it is in Compose or a toast. */
  scope: RefObject<HTMLElement | null>
}

/**
 * Where a key belongs to the control that has the focus: text is typed; a slider and radios move with arrows; Space
 * presses a focused button, ticks a box or picks a radio, as it does everywhere else (Enter too), so a keyboard user
 * keeps the standard way to press them. With the focus anywhere else in the comparison, Space plays or pauses.
 */
function ownsKey(el: Element | null, key: string): boolean {
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || (el as HTMLElement | null)?.isContentEditable) return true
  if (key === ' ' && (el instanceof HTMLButtonElement || el instanceof HTMLAnchorElement || el?.tagName === 'SUMMARY')) return true
  if (!(el instanceof HTMLInputElement)) return false
  if (['checkbox', 'radio', 'button', 'submit', 'reset'].includes(el.type))
    return key === ' ' || (el.type === 'radio' && key.startsWith('Arrow'))
  if (el.type === 'range') return key.startsWith('Arrow')
  return true
}

const PAN_STEP = 0.05

/**
 * The comparison's keys, as in a video editor: Space plays or pauses (unless the focus is on something Space presses,
 * or in a text field), ←/→ step a frame, 1–4 solo, W wipes, Esc closes.
 * A dialog on top keeps its own keys, an Undo toast its Esc, and the Compose panel beside the comparison all of them.
 */
export function useCompareKeys(keys: CompareKeys) {
  // The latest handlers, read by one listener that stays for the view's life.
  const latest = useRef(keys)
  useEffect(() => {
    latest.current = keys
  })
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const k = latest.current
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return
      const focus = document.activeElement
      const inScope = !focus || focus === document.body || Boolean(k.scope.current?.contains(focus))
      if (!inScope || document.querySelector('dialog[open]') || ownsKey(focus, e.key)) return
      // Held down, a toggle would flip on every repeat; a held arrow steps on, as editors do.
      if (e.repeat && !e.key.startsWith('Arrow')) return
      const handled = (run: () => void) => {
        e.preventDefault()
        run()
      }
      if (e.shiftKey && e.key.startsWith('Arrow')) {
        const [dx, dy] = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[e.key] ?? [0, 0]
        return handled(() => k.pan(dx! * PAN_STEP, dy! * PAN_STEP))
      }
      if (e.key === ' ') return handled(k.togglePlay)
      if (e.key === 'ArrowLeft') return handled(() => k.step(-1))
      if (e.key === 'ArrowRight') return handled(() => k.step(1))
      if (e.key === 'Escape') return document.querySelector('[data-toast]') ? undefined : handled(k.close)
      if ((e.key === 'w' || e.key === 'W') && k.toggleWipe) return handled(k.toggleWipe)
      const digit = Number(e.key)
      if (Number.isInteger(digit) && digit >= 1 && digit <= k.count) return handled(() => k.solo(digit - 1))
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [])
}

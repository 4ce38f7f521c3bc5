import { useId } from 'react'
import { create } from 'zustand'
import { persist } from 'zustand/middleware'
import { cn } from '../../lib/cn'

/** Whether Compose's footer runs a sweep instead of Generate; kept across reloads, like the draft. */
const useSweepSwitchStore = create<{ on: boolean; setOn(on: boolean): void }>()(
  persist((set) => ({ on: false, setOn: (on) => set({ on }) }), {
    name: 'veo-studio.sweep-switch',
    version: 1,
    partialize: ({ on }) => ({ on }),
  }),
)

export const useSweepOn = () => useSweepSwitchStore((s) => s.on)
export const useSetSweepOn = () => useSweepSwitchStore((s) => s.setOn)

/**
 * The first sweep field carries this attribute (experiments' VariantsField; the features cannot import each other, so
 * the page's markup is the meeting point). The fields open below the fold, and come from a lazy chunk.
 */
export const SWEEP_FIRST_FIELD = 'data-sweep-first'

/** How long to wait for the lazy sweep fields before giving up on the scroll (a slow chunk is rare). */
const REVEAL_WAIT_MS = 4000

/**
 * Scrolls the first sweep field into view once it is on the page: at once if it is there, else when it appears.
 * Only a designer's press calls this, so a page that loads with Sweep on stays where it is.
 */
function revealSweepFields(root: Element) {
  const reveal = (el: Element) => {
    const reduce = typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches
    el.scrollIntoView?.({ behavior: reduce ? 'auto' : 'smooth', block: 'nearest' })
  }
  const find = () => root.querySelector(`[${SWEEP_FIRST_FIELD}]`)
  const now = find()
  if (now) return reveal(now)
  const observer = new MutationObserver(() => {
    const el = find()
    if (!el) return
    stop()
    reveal(el)
  })
  const timer = window.setTimeout(() => stop(), REVEAL_WAIT_MS)
  const stop = () => {
    observer.disconnect()
    window.clearTimeout(timer)
  }
  observer.observe(root, { childList: true, subtree: true })
}

/** Sweep: a switch (role="switch", aria-checked) with its visible label and one line on what it does. */
export function SweepSwitch() {
  const id = useId()
  const on = useSweepOn()
  const setOn = useSetSweepOn()
  return (
    <div className="flex flex-col gap-0.5 border-t border-line pt-3">
      <div className="flex items-center gap-2">
        <button
          id={id}
          type="button"
          role="switch"
          aria-checked={on}
          aria-describedby={`${id}-help`}
          onClick={(e) => {
            setOn(!on)
            // The fields render after this press: look in the form (or the page) once React has committed them.
            if (!on) revealSweepFields(e.currentTarget.closest('form') ?? document.body)
          }}
          className="group inline-flex items-center gap-2 rounded-control text-ui text-zinc-200"
        >
          <span
            aria-hidden="true"
            className={cn(
              'relative inline-block h-4.5 w-8 rounded-full border transition-colors duration-150 ease-out motion-reduce:transition-none',
              on ? 'border-accent bg-accent' : 'border-line bg-zinc-800',
            )}
          >
            <span
              className={cn(
                'absolute top-0.5 left-0.5 size-3 rounded-full transition-transform duration-150 ease-out motion-reduce:transition-none',
                on ? 'translate-x-3.5 bg-zinc-950' : 'bg-zinc-100',
              )}
            />
          </span>
          Sweep
        </button>
      </div>
      <p id={`${id}-help`} className="text-ui-sm text-zinc-400">
        {on ? 'Run sweep sends every prompt variant × seed × value below.' : 'Try prompt variants, seeds and one more setting at once.'}
      </p>
    </div>
  )
}

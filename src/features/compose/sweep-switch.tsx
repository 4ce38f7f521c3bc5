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
          onClick={() => setOn(!on)}
          className="group inline-flex items-center gap-2 rounded-control text-ui text-zinc-200"
        >
          <span
            aria-hidden="true"
            className={cn(
              'relative inline-block h-4.5 w-8 rounded-full border border-line transition-colors duration-150 ease-out motion-reduce:transition-none',
              on ? 'border-accent bg-accent' : 'bg-zinc-800',
            )}
          >
            <span
              className={cn(
                'absolute top-0.5 left-0.5 size-3 rounded-full bg-zinc-100 transition-transform duration-150 ease-out motion-reduce:transition-none',
                on && 'translate-x-3.5 bg-zinc-950',
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

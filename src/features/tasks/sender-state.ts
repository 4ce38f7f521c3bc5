import { useSyncExternalStore } from 'react'

/*
 * Whether this tab could load the submit queue's runner (a lazy chunk). When it cannot (a new deploy removed the
 * chunk, the network dropped), nothing is sent: the Generate status and the queue line say so instead of "Sending…".
 */

export const SENDER_TROUBLE = 'The studio could not load its sender. Reload the page to keep sending.'

let trouble = false
const listeners = new Set<() => void>()

export function setSenderTrouble(value: boolean): void {
  if (trouble === value) return
  trouble = value
  for (const l of listeners) l()
}

/** The plain message while the runner cannot be loaded; undefined otherwise. */
export function useSenderTrouble(): string | undefined {
  const now = useSyncExternalStore(
    (onChange) => {
      listeners.add(onChange)
      return () => listeners.delete(onChange)
    },
    () => trouble,
  )
  return now ? SENDER_TROUBLE : undefined
}

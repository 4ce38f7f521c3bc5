import { useEffect, useState } from 'react'

/** The current time, refreshed every `ms` while `active`. */
export function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return
    // A clock that was idle is stale: read it at once, not a tick later.
    const tick = () => setNow(Date.now())
    const first = setTimeout(tick, 0)
    const id = setInterval(tick, ms)
    return () => {
      clearTimeout(first)
      clearInterval(id)
    }
  }, [active, ms])
  return now
}

import { Suspense, lazy, useCallback } from 'react'
import { useLocation, useSearch } from 'wouter'
import { compareFrom, paths } from './routes'

// The comparison (its transport, stage, Differences and the fidelity worker) loads only when a comparison opens.
const CompareView = lazy(() => import('../features/compare/compare-view'))

/** Set on Close: the selection bar, back in view, gives the focus to its Compare button (where it came from). */
export const focusAfterCompare = { pending: false }

/**
 * The comparison at /compare?samples=…: the samples come from the address, so a reload or a shared link opens the
 * same one. Close goes back to the view it was opened from (one step back in the history, so Back and Close agree);
 * opened from a link, to the gallery.
 */
export function CompareRoute() {
  const search = useSearch()
  const [, navigate] = useLocation()
  const close = useCallback(() => {
    focusAfterCompare.pending = true
    if (compareFrom(window.history.state)) window.history.back()
    else navigate(paths.gallery)
  }, [navigate])
  return (
    <Suspense fallback={<p className="text-ui text-zinc-400">Loading the comparison…</p>}>
      <CompareView search={search} onClose={close} />
    </Suspense>
  )
}

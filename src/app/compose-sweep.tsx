import { lazy, Suspense } from 'react'
import type { StoredRequest } from '../db/db'
import { blockingReason } from '../features/compose/request-check'
import { experimentPath } from './routes'

// Experiments code loads on demand: the first time the Sweep switch is on, not with the first paint.
const SweepControls = lazy(() => import('../features/experiments/sweep-controls'))

/** Compose's sweep part: Generate's own checks judge each of its cells. */
export function renderSweep(draft: StoredRequest) {
  return (
    <Suspense fallback={<p className="text-ui-sm text-zinc-400">Loading the sweep…</p>}>
      <SweepControls draft={draft} check={blockingReason} hrefOf={experimentPath} />
    </Suspense>
  )
}

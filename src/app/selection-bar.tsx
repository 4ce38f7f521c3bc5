import { Suspense, lazy, useState } from 'react'
import { useHasSelection } from '../lib/selection-store'

// The bar's body (its dialog, toasts and bulk writes) is not needed until the first Select: not in the first paint.
const SelectionActions = lazy(() => import('./selection-actions'))

/** The selection bar at the top of the view, for the gallery and the boards alike; once loaded, it stays loaded. */
export function SelectionBar() {
  const selecting = useHasSelection()
  const [wanted, setWanted] = useState(selecting)
  if (selecting && !wanted) setWanted(true)
  return wanted ? (
    <Suspense fallback={null}>
      <SelectionActions />
    </Suspense>
  ) : null
}

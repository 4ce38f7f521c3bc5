import { Suspense, lazy, useEffect, useState } from 'react'
import { moveRememberedKey } from '../../api/connection-store'
import { moveRequestsPerMinute } from '../../api/studio-settings'
import { oldLibraryPresent } from './old-library-present'

// The panel, the move and Dexie load only when this browser still holds the old library.
const MovePanel = lazy(() => import('./move-panel'))

/** What the previous version kept in this browser goes to the gateway once per page: the key and the pace. */
let settingsMoved = false

/**
 * The first start after the update: the key and Requests per minute the previous version kept here go to the gateway,
 * and, when this browser still holds the old library, the panel that moves it there shows. The studio mounts it once,
 * under its banners.
 */
export function LibraryMove() {
  const [present, setPresent] = useState(false)
  useEffect(() => {
    if (!settingsMoved) {
      settingsMoved = true
      void moveRememberedKey().catch(() => {})
      void moveRequestsPerMinute().catch(() => {})
    }
    let live = true
    void oldLibraryPresent().then((p) => live && setPresent(p))
    return () => {
      live = false
    }
  }, [])
  if (!present) return null
  return (
    <Suspense fallback={null}>
      <MovePanel onClose={() => setPresent(false)} />
    </Suspense>
  )
}

import { StrictMode, Suspense, lazy } from 'react'
import { createRoot } from 'react-dom/client'
import { StudioLoadBoundary, StudioShell } from './studio-shell'
import './index.css'

// Requested now, while React draws the frame: the studio (compose, gallery, tasks and their libraries) is a second
// chunk, so the first paint carries React and the frame alone.
const studio = import('./studio')
const Studio = lazy(() => studio)

// Ask the browser not to evict the studio's storage under pressure: it holds the designer's only copies.
void navigator.storage?.persist?.().catch(() => false)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StudioLoadBoundary>
      <Suspense fallback={<StudioShell />}>
        <Studio />
      </Suspense>
    </StudioLoadBoundary>
  </StrictMode>,
)

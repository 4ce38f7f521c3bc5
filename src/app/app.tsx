import { useQuery } from '@tanstack/react-query'
import { Suspense, lazy, useCallback, useRef, useState } from 'react'
import { useRoute } from 'wouter'
import { useProvider } from '../api/connection-store'
import { gatewayConfigQuery } from '../api/queries'
import { UndoToasts } from '../components/ui/undo-toasts'
import { ViewBoundary } from '../components/ui/view-boundary'
import { OpenSettingsContext, ServerHoldsKeyContext } from '../lib/open-settings'
import type { StoredRequest, TaskRecord } from '../db/db'
import { ComposePanel } from '../features/compose/compose-panel'
import { useComposeActions } from '../features/compose/compose-store'
import { Gallery } from '../features/gallery/gallery'
import { TaskList } from '../features/tasks/task-list'
import { useSubmitTask } from '../features/tasks/use-submit-task'
import { renderSweep } from './compose-sweep'
import { Header } from './header'
import { OfflineBanner } from './offline-banner'
import { provideExperimentExport } from '../lib/experiment-export-slot'
import { StorageFullBanner } from './storage-full-banner'
import { LibraryMove } from '../features/migrate/library-move'
import { CompareRoute } from './compare-route'
import { Routes, ViewTabs, compareFrom, paths } from './routes'
import { sampleRequest } from './sample-frames'
import { SelectionBar } from './selection-bar'
import { useGlobalShortcuts } from './global-shortcuts'

// Settings open rarely: the dialog loads on the first open, not with the first paint.
const SettingsDialog = lazy(() => import('../features/settings/settings-dialog').then((m) => ({ default: m.SettingsDialog })))
// The shortcuts list loads on the first open too.
const ShortcutsDialog = lazy(() => import('./shortcuts-dialog'))
// Export and import load with Settings or a board's Export, never with the first paint.
const TransferSection = lazy(() => import('../features/transfer/transfer-section'))
const ExperimentExport = lazy(() => import('../features/transfer/experiment-export'))
provideExperimentExport((experimentId) => (
  <Suspense fallback={null}>
    <ExperimentExport experimentId={experimentId} />
  </Suspense>
))

const wide = () => window.matchMedia('(min-width: 1280px)').matches

export function App() {
  const provider = useProvider()
  const compose = useComposeActions()
  const submitTask = useSubmitTask()
  const [settingsOpen, setSettingsOpen] = useState(false)
  const [shortcutsOpen, setShortcutsOpen] = useState(false)
  const openSettings = useCallback(() => setSettingsOpen(true), [])
  // At 1280 px and wider the task strip is always there; narrower, it folds into a drawer.
  const [tasksOpen, setTasksOpen] = useState(wide)
  // A new task must be seen: a closed drawer opens for it, once (closed again, it stays closed until the next task).
  const generate = (request: StoredRequest) =>
    submitTask.send(request).then(
      (record) => {
        if (record) setTasksOpen(true)
        return record !== undefined
      },
      () => false,
    )
  const search = useRef<HTMLInputElement>(null)
  // "Show 2 videos" on a task card: the gallery scrolls to that task's samples.
  const [reveal, setReveal] = useState<{ taskRecordId: string; at: number }>()
  const showSamples = (task: TaskRecord) => setReveal({ taskRecordId: task.id, at: Date.now() })
  useGlobalShortcuts({
    onSearch: () => search.current?.focus(),
    onHelp: () => setShortcutsOpen(true),
  })

  // A comparison fills the main area. The view it was opened from stays mounted underneath, hidden, so Close finds
  // the gallery or the board as it was left (its scroll, its filters).
  const [comparing] = useRoute(paths.compare)
  const comparedFrom = comparing ? (compareFrom(window.history.state) ?? paths.gallery) : undefined

  const serverHoldsKey = useQuery(gatewayConfigQuery()).data?.serverHoldsKey === true

  // The sample's own seed (drawn by the provider when none was asked for), locked, so Generate reproduces it.
  const useSettings = (request: StoredRequest, seed: string | undefined) =>
    compose.load(request, seed === undefined ? undefined : Number(seed))

  return (
    // An app frame, not a page: exactly the window, and nothing inside may stretch the document. Each scrolling
    // panel is `relative`, so the absolutely placed pieces inside it (sr-only help, hidden inputs) are laid out
    // and clipped by the panel; without that they are placed against the document and make it taller.
    <OpenSettingsContext.Provider value={openSettings}>
      <ServerHoldsKeyContext.Provider value={serverHoldsKey}>
        <div className="relative flex h-dvh min-w-[1024px] flex-col overflow-clip">
          <Header
            tasksOpen={tasksOpen}
            onToggleTasks={() => setTasksOpen((v) => !v)}
            onShortcuts={() => setShortcutsOpen(true)}
            onSettings={() => setSettingsOpen(true)}
          />
          <OfflineBanner />
          <StorageFullBanner />
          <LibraryMove />
          <div className="flex min-h-0 flex-1">
            {/* The scroll padding keeps a field that takes focus (Tab) clear of the sticky Generate / Run sweep footer. */}
            {/* A comparison is for looking: Compose steps aside (kept as it was) and the videos take its room. */}
            <aside
              hidden={comparing}
              aria-label="Compose panel"
              className="relative w-[340px] shrink-0 scroll-pb-36 overflow-y-auto border-r border-line bg-panel px-4 pt-4 xl:w-[380px]"
            >
              {provider === 'local' && (
                <p className="mb-3 rounded-control border border-line bg-zinc-950 px-2.5 py-1.5 text-ui-sm text-zinc-400">
                  Local preview: motion from your frames, not AI.
                </p>
              )}
              <ViewBoundary name="Compose">
                <ComposePanel
                  onGenerate={generate}
                  busy={submitTask.isPending}
                  busyWords={submitTask.waitWords}
                  onCancel={submitTask.cancel}
                  error={submitTask.errorWords}
                  sweep={renderSweep}
                />
              </ViewBoundary>
            </aside>
            <main className="relative flex min-w-0 flex-1 flex-col gap-3 p-4">
              {!comparing && <ViewTabs />}
              {/* The view area: the selection bar, the view, and the studio's Undo toasts over the view's bottom. */}
              <div className="relative flex min-h-0 flex-1 flex-col gap-3">
                {!comparing && <SelectionBar />}
                {comparing && (
                  <ViewBoundary name="the comparison">
                    <CompareRoute />
                  </ViewBoundary>
                )}
                <Routes
                  location={comparedFrom}
                  hidden={comparing}
                  gallery={
                    <Gallery
                      onUseSettings={useSettings}
                      onTrySamples={() => void sampleRequest().then(compose.load)}
                      searchRef={search}
                      reveal={reveal}
                    />
                  }
                />
                <UndoToasts />
              </div>
              <section
                id="tasks-panel"
                aria-label="Tasks panel"
                hidden={!tasksOpen || comparing}
                className="relative shrink-0 border-t border-line pt-3"
              >
                <ViewBoundary name="the task list">
                  <TaskList onShowSamples={showSamples} />
                </ViewBoundary>
              </section>
            </main>
          </div>
          {settingsOpen && (
            <Suspense fallback={null}>
              <SettingsDialog onClose={() => setSettingsOpen(false)} extra={<TransferSection />} />
            </Suspense>
          )}
          {shortcutsOpen && (
            <Suspense fallback={null}>
              <ShortcutsDialog onClose={() => setShortcutsOpen(false)} />
            </Suspense>
          )}
        </div>
      </ServerHoldsKeyContext.Provider>
    </OpenSettingsContext.Provider>
  )
}

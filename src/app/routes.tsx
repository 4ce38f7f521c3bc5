import { lazy, Suspense, useRef, type KeyboardEvent, type ReactNode } from 'react'
import { Link, Redirect, Route, Switch, useLocation } from 'wouter'
import { ViewBoundary } from '../components/ui/view-boundary'
import { cn } from '../lib/cn'

/*
 * The views the studio holds in the URL, so a reload, Back and a shared link land on the same view. wouter (about
 * 2 KB) reads the browser's location; the gateway answers every non-file path with the app shell.
 */
export const paths = {
  gallery: '/',
  experiments: '/experiments',
  experiment: '/experiments/:id',
  compare: '/compare', // its address: features/compare/compare-address.ts
} as const

/** A board's address. */
export const experimentPath = (id: string) => `${paths.experiments}/${encodeURIComponent(id)}`

/** Where a comparison was opened from, kept in the history entry so Close (and a reload) can go back there. */
export interface CompareEntryState {
  from: string
}
export const compareFrom = (state: unknown): string | undefined => {
  const from = (state as Partial<CompareEntryState> | null)?.from
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith(paths.compare) ? from : undefined
}

// Boards and the list load on demand: a designer who never sweeps never downloads them.
const ExperimentsView = lazy(() => import('../features/experiments/experiments-view'))

interface RoutesProps {
  gallery: ReactNode
  /** Show the view of this address instead of the browser's: the view a comparison was opened from stays mounted. */
  location?: string | undefined
  hidden?: boolean
}

/** Whether the address is the Experiments view (its list or a board): the tab stays selected on a board. */
const isExperiments = (location: string) => location === paths.experiments || location.startsWith(`${paths.experiments}/`)

const PANEL_ID = 'view-panel'
const tabs = [
  { id: 'view-tab-gallery', label: 'Gallery', href: paths.gallery },
  { id: 'view-tab-experiments', label: 'Experiments', href: paths.experiments },
] as const
const selectedTab = (location: string) => tabs[isExperiments(location) ? 1 : 0]

/**
 * The main area's view, as the tab panel of ViewTabs. An address the studio does not know (an old or mistyped link)
 * lands on the gallery.
 */
export function Routes({ gallery, location: shown, hidden }: RoutesProps) {
  const [current] = useLocation()
  const location = shown ?? current
  const experiments = (experimentId?: string) => (
    <Suspense fallback={<p className="text-ui text-zinc-400">Loading experiments…</p>}>
      <ExperimentsView experimentId={experimentId} listHref={paths.experiments} hrefOf={experimentPath} />
    </Suspense>
  )
  return (
    <div
      id={PANEL_ID}
      role="tabpanel"
      aria-labelledby={selectedTab(location).id}
      hidden={hidden}
      className={cn('min-h-0 flex-1 flex-col', hidden ? 'hidden' : 'flex')}
    >
      <ViewBoundary name={isExperiments(location) ? 'Experiments' : 'the gallery'}>
        <Switch location={location}>
          <Route path={paths.gallery}>{gallery}</Route>
          <Route path={paths.experiments}>{experiments()}</Route>
          <Route path={paths.experiment}>{(params) => experiments(params.id)}</Route>
          <Route>
            <Redirect to={paths.gallery} replace />
          </Route>
        </Switch>
      </ViewBoundary>
    </div>
  )
}

const tabClass = (selected: boolean) =>
  cn(
    '-mb-px border-b-2 px-3 pb-2 text-ui-lg transition-colors',
    selected ? 'border-accent text-zinc-100' : 'border-transparent text-zinc-400 hover:text-zinc-200',
  )

/**
 * Gallery | Experiments: a tabs pattern whose tabs are links, so the view is an address. Only the selected tab is in
 * the Tab order; Left/Right (and Home/End) move to the other tab and open its view, as tabs that follow the focus do.
 */
export function ViewTabs() {
  const [location, navigate] = useLocation()
  const selected = selectedTab(location)
  const list = useRef<HTMLDivElement>(null)

  const onKeyDown = (e: KeyboardEvent<HTMLAnchorElement>) => {
    const at = tabs.indexOf(selected)
    const to =
      e.key === 'ArrowRight'
        ? (at + 1) % tabs.length
        : e.key === 'ArrowLeft'
          ? (at - 1 + tabs.length) % tabs.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? tabs.length - 1
              : undefined
    if (to === undefined) return
    e.preventDefault()
    const tab = tabs[to]!
    if (tab !== selected) navigate(tab.href)
    list.current?.querySelector<HTMLElement>(`#${tab.id}`)?.focus()
  }

  return (
    <div ref={list} role="tablist" aria-label="Views" className="flex shrink-0 gap-1 border-b border-line">
      {tabs.map((tab) => (
        <Link
          key={tab.id}
          id={tab.id}
          href={tab.href}
          role="tab"
          aria-selected={tab === selected}
          aria-controls={PANEL_ID}
          tabIndex={tab === selected ? 0 : -1}
          onKeyDown={onKeyDown}
          className={tabClass(tab === selected)}
        >
          {tab.label}
        </Link>
      ))}
    </div>
  )
}

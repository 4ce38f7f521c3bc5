import { lazy, Suspense, type ReactNode } from 'react'
import { Link, Redirect, Route, Switch, useLocation } from 'wouter'
import { cn } from '../lib/cn'

/*
 * The views the studio holds in the URL, so a reload, Back and a shared link land on the same view. wouter (about
 * 2 KB) reads the browser's location; the gateway answers every non-file path with the app shell.
 */
export const paths = {
  gallery: '/',
  experiments: '/experiments',
  experiment: '/experiments/:id',
} as const

/** A board's address. */
export const experimentPath = (id: string) => `${paths.experiments}/${encodeURIComponent(id)}`

// Boards and the list load on demand: a designer who never sweeps never downloads them.
const ExperimentsView = lazy(() => import('../features/experiments/experiments-view'))

interface RoutesProps {
  gallery: ReactNode
}

/** The main area's view. An address the studio does not know (an old or mistyped link) lands on the gallery. */
export function Routes({ gallery }: RoutesProps) {
  const experiments = (experimentId?: string) => (
    <Suspense fallback={<p className="text-ui text-zinc-400">Loading experiments…</p>}>
      <ExperimentsView experimentId={experimentId} listHref={paths.experiments} hrefOf={experimentPath} />
    </Suspense>
  )
  return (
    <Switch>
      <Route path={paths.gallery}>{gallery}</Route>
      <Route path={paths.experiments}>{experiments()}</Route>
      <Route path={paths.experiment}>{(params) => experiments(params.id)}</Route>
      <Route>
        <Redirect to={paths.gallery} replace />
      </Route>
    </Switch>
  )
}

const tabClass = (selected: boolean) =>
  cn(
    '-mb-px border-b-2 px-3 pb-2 text-ui-lg transition-colors',
    selected ? 'border-accent text-zinc-100' : 'border-transparent text-zinc-400 hover:text-zinc-200',
  )

/** Gallery | Experiments: links, so the view is an address; the Experiments tab stays selected on a board. */
export function ViewTabs() {
  const [location] = useLocation()
  const experiments = location === paths.experiments || location.startsWith(`${paths.experiments}/`)
  return (
    <div role="tablist" aria-label="Views" className="flex shrink-0 gap-1 border-b border-line">
      <Link href={paths.gallery} role="tab" aria-selected={!experiments} className={tabClass(!experiments)}>
        Gallery
      </Link>
      <Link href={paths.experiments} role="tab" aria-selected={experiments} className={tabClass(experiments)}>
        Experiments
      </Link>
    </div>
  )
}

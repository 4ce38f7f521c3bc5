import { Link } from 'wouter'
import type { ExperimentRecord, QueueItem, TaskRecord } from '../../db/db'
import { useExperimentActivity, useExperiments, useFirstKeptSampleId } from '../../db/experiments'
import { useStoredPosterUrl } from '../../db/hooks'
import { plural } from '../../lib/format'
import { experimentProgress } from './board-state'

interface ExperimentListProps {
  /** The board's address for an experiment. */
  hrefOf(id: string): string
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** Every experiment, newest first; each opens its board. */
export function ExperimentList({ hrefOf }: ExperimentListProps) {
  const experiments = useExperiments()
  const activity = useExperimentActivity()
  if (!experiments || !activity) return null
  const { tasks, items } = activity

  return (
    <section aria-label="Experiments" className="relative flex min-h-0 flex-1 flex-col gap-3">
      {experiments.length === 0 ? (
        <div className="flex flex-1 flex-col items-center justify-center gap-2 rounded-card border border-dashed border-line p-10 text-center">
          <p className="max-w-md text-ui-lg text-zinc-300">No experiments yet.</p>
          <p className="max-w-md text-ui text-zinc-400">
            Turn on Sweep in Compose, write a few prompt variants and seeds, and press Run sweep: each sweep gets a board here, with a cell
            for every prompt and seed.
          </p>
        </div>
      ) : (
        <ul aria-label="Experiments, newest first" className="flex min-h-0 flex-col gap-2 overflow-y-auto p-1">
          {experiments.map((e) => (
            <li key={e.id}>
              <ExperimentItem
                experiment={e}
                href={hrefOf(e.id)}
                tasks={tasks.filter((t) => t.experimentId === e.id)}
                items={items.filter((i) => i.experimentId === e.id)}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

interface ExperimentItemProps {
  experiment: ExperimentRecord
  href: string
  tasks: TaskRecord[]
  items: QueueItem[]
}

function ExperimentItem({ experiment, href, tasks, items }: ExperimentItemProps) {
  const p = experimentProgress(experiment, tasks, items)
  const size = `${experiment.rows.length} × ${experiment.columns.length}`
  const thumbId = useFirstKeptSampleId(tasks)
  const poster = useStoredPosterUrl(thumbId ?? '', thumbId !== undefined)
  return (
    <Link
      href={href}
      className="flex items-center gap-3 rounded-card border border-line bg-panel px-4 py-3 transition-colors hover:border-zinc-600 hover:bg-zinc-900/80"
    >
      {/* The first finished video's still: decorative, the name says which experiment it is. An empty frame until one exists. */}
      <span aria-hidden="true" className="aspect-video w-20 shrink-0 overflow-hidden rounded-control border border-line bg-zinc-950">
        {poster && <img src={poster} alt="" className="size-full object-cover" data-testid="experiment-thumb" />}
      </span>
      <span className="flex min-w-0 flex-1 flex-col gap-1">
        <span className="flex items-baseline justify-between gap-3">
          <span className="min-w-0 truncate text-ui-lg font-medium text-zinc-100">{experiment.name}</span>
          <time dateTime={new Date(experiment.createdAt).toISOString()} className="shrink-0 text-ui-sm tabular text-zinc-400">
            {dateFormat.format(experiment.createdAt)}
          </time>
        </span>
        <span className="flex flex-wrap gap-x-3 text-ui-sm tabular text-zinc-400">
          <span>
            {size} · {plural(p.total, 'task')}
          </span>
          <span className={p.done === p.total && p.total > 0 ? 'text-green-400' : 'text-zinc-300'}>{`${p.done} of ${p.total} done`}</span>
          {p.waiting > 0 && <span>{p.waiting} waiting to send</span>}
          {p.failed > 0 && <span className="text-red-400">{p.failed} failed</span>}
          {p.cancelled > 0 && <span>{p.cancelled} cancelled</span>}
          {p.winners > 0 && <span className="text-accent">{plural(p.winners, 'winner')}</span>}
        </span>
      </span>
    </Link>
  )
}

import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Link } from 'wouter'
import { libraryFileUrl } from '../../api/library-client'
import { Button } from '../../components/ui/button'
import { Dialog } from '../../components/ui/dialog'
import type { ExperimentRecord, QueueItem, TaskRecord } from '../../db/db'
import { ErrorMessage } from '../../components/ui/error-message'
import { deleteExperiment, undoExperimentDeletion } from '../../db/experiment-delete'
import { useExperimentActivity, useExperiments, useFirstKeptSample } from '../../db/experiments'
import { UNDO_WINDOW_MS } from '../../db/samples'
import { libraryWords } from '../../db/submit'
import { plural } from '../../lib/format'
import { useUndoActions } from '../../lib/undo-store'
import { experimentProgress, stateCounts } from './board-state'

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
            <li key={e.id} aria-label={e.name} className="flex items-center gap-2">
              <ExperimentItem
                experiment={e}
                href={hrefOf(e.id)}
                tasks={tasks.filter((t) => t.experimentId === e.id)}
                items={items.filter((i) => i.experimentId === e.id)}
              />
              <DeleteExperiment experiment={e} tasks={tasks.filter((t) => t.experimentId === e.id)} />
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
  const thumb = useFirstKeptSample(tasks)?.posterSha256
  const poster = thumb && libraryFileUrl(thumb)
  return (
    <Link
      href={href}
      className="flex min-w-0 flex-1 items-center gap-3 rounded-card border border-line bg-panel px-4 py-3 transition-colors hover:border-zinc-600 hover:bg-zinc-900/80"
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
          {/* Named as the board and the task strip name them. */}
          {stateCounts(p).map(({ state, text }) => (
            <span key={state} className={state === 'failed' ? 'text-red-400' : undefined}>
              {text}
            </span>
          ))}
          {p.winners > 0 && <span className="text-accent">{plural(p.winners, 'winner')}</span>}
        </span>
      </span>
    </Link>
  )
}

/**
 * Delete experiment: asks first (it takes the board, its videos, its tasks and its waiting requests), then deletes
 * all of it at once with one Undo, as a bulk Delete of samples does.
 */
function DeleteExperiment({ experiment, tasks }: { experiment: ExperimentRecord; tasks: TaskRecord[] }) {
  const client = useQueryClient()
  const [asking, setAsking] = useState(false)
  const [failure, setFailure] = useState<unknown>()
  const undo = useUndoActions()
  const videos = tasks.reduce((n, t) => n + (t.videoCount ?? 0), 0)
  const running = tasks.filter((t) => !t.finishedAt).length
  const remove = async (byKeyboard: boolean) => {
    setFailure(undefined)
    try {
      const deleted = await deleteExperiment(client, experiment.id)
      if (deleted) undo.offer(undoExperimentDeletion(client, deleted, `Experiment “${experiment.name}” deleted`, byKeyboard))
    } catch (e) {
      setFailure(e)
    }
  }
  return (
    <>
      <Button size="sm" variant="ghost" onClick={() => setAsking(true)}>
        Delete experiment
      </Button>
      {failure !== undefined && <ErrorMessage size="sm" lead="Not deleted: " {...libraryWords(failure)} className="max-w-64" />}
      {asking && (
        <Dialog labelledBy={`delete-${experiment.id}`} onClose={() => setAsking(false)} className="w-[min(440px,92vw)] p-5">
          {(close) => (
            <>
              <h2 id={`delete-${experiment.id}`} className="mb-2 text-ui-lg font-semibold">
                {`Delete “${experiment.name}”?`}
              </h2>
              <p className="text-ui text-zinc-300">
                {`Its board, ${plural(videos, 'video')} and ${plural(tasks.length, 'task')} go, and requests still waiting are not sent. `}
                {running > 0 &&
                  `${plural(running, 'task')} still running: ${running === 1 ? 'its video is' : 'their videos are'} not kept. `}
                {`You can undo for ${UNDO_WINDOW_MS / 1000} seconds; after that it is removed from the library for good.`}
              </p>
              <div className="mt-5 flex justify-end gap-2">
                {/* First in the dialog, so it has the focus: the safe choice is the default. */}
                <Button onClick={close}>Cancel</Button>
                <Button
                  variant="danger"
                  onClick={(e) => {
                    close(e)
                    void remove(e.detail === 0)
                  }}
                >
                  Delete
                </Button>
              </div>
            </>
          )}
        </Dialog>
      )}
    </>
  )
}

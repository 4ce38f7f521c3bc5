import { useQueryClient } from '@tanstack/react-query'
import { useMemo, useRef, useState } from 'react'
import { Link } from 'wouter'
import { useProvider } from '../../api/connection-store'
import { Button } from '../../components/ui/button'
import { ErrorMessage } from '../../components/ui/error-message'
import type { CellRef, ExperimentRecord, QueueItem } from '../../db/db'
import { cancelWaiting, rerunCell, restoreWaiting } from '../../db/experiment-requests'
import {
  cellKey,
  markCell,
  renameExperiment,
  toggleWinner,
  useExperiment,
  useExperimentContents,
  type ExperimentContents,
} from '../../db/experiments'
import { UNDO_WINDOW_MS } from '../../db/samples'
import { libraryWords } from '../../db/submit'
import { renderExperimentExport } from '../../lib/experiment-export-slot'
import { plural } from '../../lib/format'
import { useUndoActions } from '../../lib/undo-store'
import { useNow } from '../../lib/use-now'
import { BoardCell } from './board-cell'
import { cellStatus, experimentProgress, groupByCell, pauseLeft, pausedUntil, progressLine, queuePositions } from './board-state'
import { columnHeader } from './columns'
import { ExperimentName } from './experiment-name'
import { cellRequest } from './sweep'

interface BoardProps {
  experimentId: string
  /** Where "All experiments" leads. */
  listHref: string
}

/** An experiment's board, read from the gateway's library: it fills in as the gateway sends and the tasks finish. */
export function Board({ experimentId, listHref }: BoardProps) {
  const experiment = useExperiment(experimentId)
  const contents = useExperimentContents(experimentId)
  if (experiment === null)
    return (
      <section aria-label="Experiment not found" className="flex flex-1 flex-col items-center justify-center gap-2 text-center">
        <p className="text-ui-lg text-zinc-300">This experiment is not in this studio. It may have been deleted.</p>
        <Link href={listHref} className="text-ui text-accent underline-offset-2 hover:underline">
          All experiments
        </Link>
      </section>
    )
  if (experiment === undefined || !contents) return null
  return <BoardTable experiment={experiment} contents={contents} listHref={listHref} />
}

interface BoardTableProps {
  experiment: ExperimentRecord
  contents: ExperimentContents
  listHref: string
}

function BoardTable({ experiment, contents, listHref }: BoardTableProps) {
  const client = useQueryClient()
  const currentProvider = useProvider()
  const undo = useUndoActions()
  const progressRef = useRef<HTMLParagraphElement>(null)
  // The last write the gateway did not take, in its own words: the board shows what it holds again.
  const [failure, setFailure] = useState<{ lead: string; error: unknown }>()
  const report = (lead: string) => (error: unknown) => setFailure({ lead, error })
  const { queue, items } = contents
  const cells = useMemo(() => groupByCell(contents.tasks, items), [contents.tasks, items])
  const positions = useMemo(() => queuePositions(queue), [queue])
  const progress = useMemo(() => experimentProgress(experiment, contents.tasks, items), [experiment, contents.tasks, items])

  const rerun = (cell: CellRef) => {
    const activity = cells.get(cellKey(cell))
    // The same provider as the rest of the sweep, so a board never mixes local previews into a Veo comparison.
    const provider = activity?.tasks[0]?.provider ?? contents.tasks[0]?.provider ?? items[0]?.provider ?? currentProvider
    const request = cellRequest(experiment.base, experiment.rows[cell.row]!, experiment.columns[cell.col]!)
    setFailure(undefined)
    rerunCell(client, { provider, request, experimentId: experiment.id, cell }, activity?.tasks[0]?.id).catch(
      report('Re-run was not sent: '),
    )
  }

  // Cancel sweep takes itself away: the focus goes to the progress line that now counts the cancelled cells, and
  // one Undo (the studio's toast stack) puts every request taken back in its place in line.
  const cancel = async () => {
    progressRef.current?.focus()
    setFailure(undefined)
    const cancelled = await cancelWaiting(client, experiment.id)
    const { removed } = cancelled
    if (!removed.length) return
    const at = Date.now()
    undo.offer({
      key: `cancelled:${experiment.id}:${at}`,
      message: `${plural(removed.length, 'request')} cancelled`,
      until: at + UNDO_WINDOW_MS,
      undo: () => void restoreWaiting(client, cancelled).catch(report('Undo did not reach the gateway: ')),
      expire: () => {},
    })
  }

  const saving = (write: Promise<void>) => {
    setFailure(undefined)
    write.catch(report('Not saved: '))
  }

  return (
    <section aria-label={`Experiment: ${experiment.name}`} className="relative flex min-h-0 flex-1 flex-col gap-3">
      <header className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <Link href={listHref} className="text-ui text-zinc-400 hover:text-zinc-100">
          <span aria-hidden="true">‹ </span>All experiments
        </Link>
        <ExperimentName name={experiment.name} onRename={(name) => saving(renameExperiment(client, experiment.id, name))} />
        <div className="ml-auto flex items-center gap-3">
          <p
            ref={progressRef}
            tabIndex={-1}
            className="rounded-control text-ui tabular text-zinc-300 outline-accent focus-visible:outline-2"
            aria-live="polite"
          >
            {progressLine(progress)}
            <PauseNote queue={queue} />
          </p>
          {progress.waiting > 0 && (
            <Button
              size="sm"
              className="whitespace-nowrap"
              onClick={() => void cancel().catch(report('Cancel sweep did not reach the gateway: '))}
            >
              Cancel sweep
            </Button>
          )}
          {/* Export experiment: the frame provides it (a board may not import the transfer feature). */}
          {renderExperimentExport(experiment.id)}
        </div>
      </header>
      {failure && <ErrorMessage size="sm" lead={failure.lead} {...libraryWords(failure.error)} />}
      {/* The table scrolls inside the main area, both ways; the headers stay put while it does. It fills the width:
          the seed columns share what the prompt column leaves (a fixed layout splits it evenly), and never go below
          15rem (240 px) each: below that the table scrolls sideways. The prompt column is narrower below 1280 px, so two
          columns fit beside it at 1024. */}
      <div className="min-h-0 flex-1 overflow-auto rounded-card border border-line">
        <table
          className="w-full min-w-[calc(9rem+var(--columns)*15rem)] table-fixed border-separate border-spacing-0 text-left xl:min-w-[calc(13rem+var(--columns)*15rem)]"
          style={{ '--columns': experiment.columns.length } as React.CSSProperties}
        >
          <thead>
            <tr>
              <th
                scope="col"
                className="sticky top-0 left-0 z-20 w-36 min-w-36 border-b border-line bg-zinc-950 px-3 py-2 text-ui-sm font-medium text-zinc-400 xl:w-52 xl:min-w-52"
              >
                Prompt
              </th>
              {experiment.columns.map((column, col) => (
                <th
                  key={col}
                  scope="col"
                  className="sticky top-0 z-10 border-b border-l border-line bg-zinc-950 px-3 py-2 text-ui-sm font-medium text-zinc-200 tabular"
                >
                  {columnHeader(column)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {experiment.rows.map((prompt, row) => (
              <tr key={row}>
                <th
                  scope="row"
                  className="sticky left-0 z-10 w-36 min-w-36 border-b border-line bg-zinc-950 px-3 py-2 align-top text-ui font-normal break-words whitespace-normal text-zinc-200 xl:w-52 xl:min-w-52"
                >
                  {prompt}
                </th>
                {experiment.columns.map((column, col) => {
                  const cell = { row, col }
                  const key = cellKey(cell)
                  const activity = cells.get(key)
                  return (
                    <td key={col} className="border-b border-l border-line p-2 align-top">
                      <BoardCell
                        name={`${prompt} · ${columnHeader(column)}`}
                        column={column}
                        activity={activity}
                        status={cellStatus(activity, positions)}
                        samples={contents.samples}
                        marks={experiment.marks[key]}
                        onNote={(note) => saving(markCell(client, experiment.id, cell, { note }))}
                        onToggleWinner={() => saving(toggleWinner(client, experiment.id, cell))}
                        onRerun={() => rerun(cell)}
                      />
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

/**
 * "· Paused for 20 s: …" while the queue was asked to wait (a 429, read from the items' notBefore). It ticks on its own
 * every second, so the time left counts down and "Paused" goes by itself without re-rendering the whole board.
 */
function PauseNote({ queue }: { queue: readonly QueueItem[] }) {
  // Ticks while any waiting request carries a wait (notBefore), past or not; pausedUntil says whether it is still on.
  const now = useNow(queue.some((i) => i.state !== 'failed' && i.notBefore !== undefined))
  const until = pausedUntil(queue, now)
  if (until === undefined) return null
  return (
    <span className="text-amber-300">
      {' · Paused'}
      {/* The seconds tick: shown, but kept out of the live region's announcements. */}
      <span aria-hidden="true">{` for ${pauseLeft(until, now)}`}</span>
      {': the provider asked the studio to wait'}
    </span>
  )
}

import { useRef } from 'react'
import { Button } from '../../components/ui/button'
import { ErrorMessage } from '../../components/ui/error-message'
import type { CellMarks, ExperimentColumn, SampleRecord, TaskRecord } from '../../db/db'
import { cn } from '../../lib/cn'
import { requestStateName } from '../../lib/request-state'
import { BoardSample } from './board-sample'
import { waitingLine, type CellActivity, type CellStatus } from './board-state'
import { CellNote } from './cell-note'

interface BoardCellProps {
  /** "a red kite · Seed 11": names the cell's group for assistive tech and tests. */
  name: string
  column: ExperimentColumn
  activity: CellActivity | undefined
  status: CellStatus
  samples: ReadonlyMap<string, SampleRecord[]>
  marks: CellMarks | undefined
  onNote(note: string): void
  /** Flips the stored mark (not the one shown), so two quick presses cancel out. */
  onToggleWinner(): void
  onRerun(): void
}

/** One cell of a board: its videos (newest task first), where its newest request stands, and the designer's marks. */
export function BoardCell({ name, column, activity, status, samples, marks, onNote, onToggleWinner, onRerun }: BoardCellProps) {
  const group = useRef<HTMLDivElement>(null)
  const winner = marks?.winner === true
  const shown = (activity?.tasks ?? []).flatMap((t) => samples.get(t.id) ?? [])
  // Re-run is offered once nothing of the cell is on its way: a second press while waiting would only queue a twin.
  const settled = status.kind !== 'waiting'
  return (
    <div
      ref={group}
      role="group"
      aria-label={name}
      // Re-run takes itself away when pressed: the focus stays in the cell, which then reads its new state.
      tabIndex={-1}
      className={cn(
        'flex h-full flex-col gap-2 rounded-card border bg-panel p-2 outline-accent transition-colors focus-visible:outline-2 focus-visible:outline-offset-2',
        winner ? 'border-accent ring-2 ring-accent' : 'border-line',
      )}
    >
      {shown.map((s) => (
        <BoardSample key={s.id} sample={s} seed={column.seed} />
      ))}
      {shown.length ? (
        <CellStatusLine status={status} />
      ) : (
        // Where the video will be: the same 16:9 frame, so the board keeps its shape as the videos arrive.
        <div className="flex aspect-video flex-col justify-center gap-1 rounded-control border border-dashed border-line bg-zinc-950 p-3">
          {status.kind === 'done' && status.task.finishedAt ? (
            // Done, and every sample of it deleted since: say so, rather than a blank frame that looks like a fault.
            <p className="text-ui-sm text-zinc-400">Video deleted</p>
          ) : (
            <CellStatusLine status={status} />
          )}
        </div>
      )}
      <div className="mt-auto flex flex-wrap items-center gap-1">
        <Button size="sm" variant="ghost" aria-pressed={winner} tone={winner ? 'accent' : undefined} onClick={onToggleWinner}>
          <span aria-hidden="true">{winner ? '★' : '☆'}</span> Winner
        </Button>
        {settled && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              group.current?.focus()
              onRerun()
            }}
          >
            <span aria-hidden="true">↻</span> Re-run
          </Button>
        )}
      </div>
      <CellNote saved={marks?.note ?? ''} onSave={onNote} />
    </div>
  )
}

/**
 * The newest request's state, in the words request-state gives every place that names one. Nothing once its video is
 * in: the video says it.
 */
function CellStatusLine({ status }: { status: CellStatus }) {
  switch (status.kind) {
    case 'waiting':
      return <p className="text-ui-sm text-zinc-400">{waitingLine(status.position)}</p>
    case 'send-failed':
      return (
        <ErrorMessage
          role="status"
          size="sm"
          lead={`${requestStateName('failed')}: `}
          // A refused key's way out is Settings, here as under Generate.
          {...status.item.error}
          message={status.item.error?.message ?? 'the request was not accepted.'}
          details={status.item.error?.details}
        />
      )
    case 'sent':
      return <SentLine task={status.task} />
    case 'rendering':
      return <RenderProgress task={status.task} />
    case 'failed':
      return (
        <p className="text-ui-sm text-red-400">
          {requestStateName('failed')}: {status.task.reason || 'the provider did not say why.'}
        </p>
      )
    case 'empty':
      return <p className="text-ui-sm text-amber-300">{requestStateName('done')}: no video returned.</p>
    case 'cancelled':
      return <p className="text-ui-sm text-zinc-400">{requestStateName('cancelled')}: not sent</p>
    case 'done':
      // Done, its video on its way into the library (the gateway keeps it first).
      return status.task.finishedAt ? null : <p className="text-ui-sm text-zinc-300">{requestStateName('done')}</p>
  }
}

/** The gateway stopped checking a task (too many faults in a row): its card in the task strip has the words and the way on. */
function Stalled() {
  return <p className="text-ui-sm text-amber-300">Needs attention: checking stopped. Retry it from its task card.</p>
}

function SentLine({ task }: { task: TaskRecord }) {
  if (task.stalled) return <Stalled />
  return <p className="text-ui-sm text-zinc-400">{requestStateName('sent')}</p>
}

/** A rendering task's percent, as the gateway's last check of it saw it. */
function RenderProgress({ task }: { task: TaskRecord }) {
  if (task.stalled) return <Stalled />
  const percent = task.progressPercent === undefined ? undefined : Math.round(task.progressPercent)
  return (
    <div className="flex flex-col gap-1">
      <div
        role="progressbar"
        aria-label="Rendering"
        aria-valuenow={percent}
        aria-valuemin={0}
        aria-valuemax={100}
        className="h-1 overflow-hidden rounded-full bg-zinc-800"
      >
        <div className="h-full bg-accent transition-[width]" style={{ width: `${percent ?? 0}%` }} />
      </div>
      <p className="text-ui-sm tabular text-zinc-300">{requestStateName('rendering', percent)}</p>
    </div>
  )
}

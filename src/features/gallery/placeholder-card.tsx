import type { TaskRecord } from '../../db/db'
import { cn } from '../../lib/cn'
import { requestStateName, requestStateOf } from '../../lib/request-state'
import { findModel, videoShape } from '../../models'
import { Chip, LocalChip } from './chips'

interface PlaceholderCardProps {
  task: TaskRecord
  /** Which of the task's samples this stands for, 0-based, and how many the task makes. */
  index: number
  count: number
}

/** A sample on its way: where it will appear, the shape it will have, and how far the task has got. */
export function PlaceholderCard({ task, index, count }: PlaceholderCardProps) {
  // The gateway polls the task and writes what it saw on it: the card reads the task, and asks nothing itself.
  const state = requestStateOf({ status: task.status, progressPercent: task.progressPercent, lost: task.lost })
  const percent = state === 'rendering' ? task.progressPercent : undefined
  const shape = videoShape(findModel(task.request.modelId), task.request.params)
  const prompt = String(task.request.params.prompt ?? '')
  const of = count > 1 ? ` · ${index + 1} of ${count}` : ''
  const status = requestStateName(state, percent)

  return (
    <article
      aria-label={`On its way: ${prompt.slice(0, 60)}${of}`}
      aria-busy="true"
      className="flex flex-col rounded-card border border-dashed border-zinc-700 bg-panel"
    >
      <div
        className={cn(
          'flex w-full flex-col items-center justify-center gap-2 rounded-t-card bg-zinc-950 px-6',
          shape.aspectRatio === '9:16' ? 'aspect-[9/16] max-h-[420px]' : 'aspect-video',
        )}
      >
        <span className="text-ui tabular text-zinc-300">{status}</span>
        <div
          role="progressbar"
          aria-label={`Progress: ${prompt.slice(0, 40)}${of}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent === undefined ? undefined : Math.round(percent)}
          className="h-1 w-full max-w-48 overflow-hidden rounded-full bg-zinc-800"
        >
          <div
            // No percent yet (queued, or the first answer still on its way): a neutral pulse, never a bar that looks full.
            className={cn('h-full transition-[width]', percent === undefined ? 'animate-pulse bg-zinc-600' : 'bg-accent')}
            style={{ width: `${percent ?? 100}%` }}
          />
        </div>
      </div>
      <div className="flex flex-col gap-1.5 p-2.5">
        <p className="line-clamp-2 text-ui text-zinc-400" title={prompt}>
          {prompt || 'No prompt'}
        </p>
        <ul className="flex flex-wrap gap-1 text-ui-xs tabular text-zinc-400" aria-label="Settings">
          {task.provider === 'local' && <LocalChip />}
          <Chip>{`${shape.durationSeconds} s`}</Chip>
          <Chip>{shape.resolution}</Chip>
          {count > 1 && <Chip>{`${index + 1} of ${count}`}</Chip>}
        </ul>
      </div>
    </article>
  )
}

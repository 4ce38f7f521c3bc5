import { Button } from '../../components/ui/button'
import { ErrorMessage } from '../../components/ui/error-message'
import { LocalPreviewChip } from '../../components/ui/local-preview-chip'
import type { TaskRecord } from '../../db/db'
import { useFrameSrc } from '../../db/hooks'
import { cn } from '../../lib/cn'
import { formatClock, plural } from '../../lib/format'
import { requestStateName } from '../../lib/request-state'
import { findModel } from '../../models'
import { progressSince, videosLabel, viewOf, type TaskView } from './task-view'
import type { RetryState } from './use-retry-task'
import { useSeenProgress } from './use-seen-progress'
import { useNow } from '../../lib/use-now'
import { useConnectivity, type Connectivity } from '../../api/connectivity'

interface TaskCardProps {
  task: TaskRecord
  onRetry(task: TaskRecord): void
  /** Retry on a task whose checking stopped: the gateway checks it again (nothing is sent again). */
  onResumePolling(task: TaskRecord): void
  onShowSamples(task: TaskRecord): void
  onDismiss(task: TaskRecord): void
  /** This task's Retry, while it is being sent or when it failed to send. */
  retry?: RetryState | undefined
  /** How many of its videos are still in the gallery (after deletes); undefined until known. */
  remaining?: number | undefined
}

/** One submission: what was asked, where it is, and what to do when it fails. */
export function TaskCard({ task, onRetry, onResumePolling, onShowSamples, onDismiss, retry = {}, remaining }: TaskCardProps) {
  const running = !task.finishedAt
  const now = useNow(running)
  // Between the gateway's polls the ETA counts down, and without one the pace of the progress gives one.
  const seen = useSeenProgress(task, now)
  const view = withEta(viewOf(task, remaining), seen.eta)
  const connectivity = useConnectivity()
  const elapsed = ((task.finishedAt ?? now) - task.createdAt) / 1000
  const model = findModel(task.request.modelId)
  const prompt = String(task.request.params.prompt ?? '')

  return (
    <article
      aria-label={`Task: ${prompt.slice(0, 40)}`}
      className={cn(
        'flex w-[26rem] shrink-0 gap-2.5 rounded-card border bg-panel p-2.5',
        view.state === 'failed' ? 'border-red-900/70' : view.state === 'attention' ? 'border-amber-700/60' : 'border-line',
      )}
    >
      <div className="flex shrink-0 gap-0.5">
        {Object.values(task.request.frames).map((ref, i) => (
          <Thumb key={i} frame={ref} />
        ))}
      </div>
      <div className="min-w-0 flex-1">
        <div className="flex items-baseline justify-between gap-2">
          <span className="truncate text-ui text-zinc-100" title={prompt}>
            {prompt || 'No prompt'}
          </span>
          <span className="flex shrink-0 items-baseline gap-1.5 text-ui-xs whitespace-nowrap text-zinc-400">
            {model?.shortName ?? task.request.modelId}
            {task.provider === 'local' && (
              // A local render never passes for Veo: the chip it wears in the gallery and the player, here too.
              <LocalPreviewChip />
            )}
          </span>
        </div>
        <TaskStatusLine view={view} elapsed={elapsed} connectivity={connectivity} sinceAnswer={seen.since} />
        {retry.error && (
          <ErrorMessage className="mt-1" size="sm" message={`Retry not sent. ${retry.error.message}`} details={retry.error.details} />
        )}
        <div className="mt-1 flex gap-1">
          {view.state === 'done' && view.kept > 0 && (
            <Button size="sm" variant="ghost" className="whitespace-nowrap" onClick={() => onShowSamples(task)}>
              Show {plural(view.kept, 'video')}
            </Button>
          )}
          {(view.state === 'failed' || view.state === 'empty') && !task.retriedAs && (
            <Button size="sm" disabled={retry.sending} onClick={() => onRetry(task)}>
              {retry.sending ? 'Sending…' : 'Retry'}
            </Button>
          )}
          {view.state === 'attention' && (
            // The gateway checks it again (nothing is sent again): the task is the provider's already.
            <Button size="sm" onClick={() => onResumePolling(task)}>
              Retry
            </Button>
          )}
          {task.finishedAt && (
            <Button size="sm" variant="ghost" onClick={() => onDismiss(task)} aria-label="Dismiss task">
              Dismiss
            </Button>
          )}
        </div>
      </div>
    </article>
  )
}

/** A view still waiting or rendering takes the ETA the card worked out (the provider's, or the pace's) where it has none. */
function withEta(view: TaskView, eta: number | undefined): TaskView {
  if ((view.state !== 'sent' && view.state !== 'rendering') || view.eta !== undefined) return view
  return { ...view, eta }
}

interface StatusLineProps {
  view: TaskView
  elapsed: number
  connectivity: Connectivity
  /** Seconds since this tab saw the last change: the ETA counts down between polls, which may be many seconds apart. */
  sinceAnswer: number
}

/** Each state by its one name (request-state.ts), with the ETA after it where one is known. */
function TaskStatusLine({ view, elapsed, connectivity, sinceAnswer }: StatusLineProps) {
  const clock = <span className="tabular text-zinc-400">{formatClock(elapsed)}</span>
  // Offline, the last ETA is stale (nothing new arrives): the card says why it stands still instead.
  const eta = (seconds: number | undefined) => {
    if (connectivity !== 'online')
      return (
        <span className="text-amber-300">
          {connectivity === 'offline' ? ' · offline, waiting for the network' : ' · waiting for the gateway to answer'}
        </span>
      )
    if (seconds === undefined) return null
    const left = Math.ceil(seconds - sinceAnswer)
    return left > 0 ? ` · ETA ${formatClock(left)}` : ' · any moment now'
  }
  switch (view.state) {
    case 'sent': {
      const name = requestStateName('sent')
      return (
        <div className="mt-1">
          <Bar percent={0} label={name} />
          <p className="mt-0.5 flex justify-between text-ui-xs text-zinc-400">
            <span className="tabular">
              {name}
              {eta(view.eta)}
            </span>
            {clock}
          </p>
          {view.trouble && <StillChecking />}
        </div>
      )
    }
    case 'rendering': {
      // Offline nothing moves: the bar keeps what was said.
      const shown = connectivity === 'online' ? progressSince(view.percent, view.eta, sinceAnswer) : view.percent
      return (
        <div className="mt-1">
          <Bar percent={shown} label={requestStateName('rendering')} />
          <p className="mt-0.5 flex justify-between text-ui-xs tabular text-zinc-300">
            <span>
              {requestStateName('rendering', Math.floor(shown))}
              {eta(view.eta)}
            </span>
            {clock}
          </p>
          {view.trouble && <StillChecking />}
        </div>
      )
    }
    case 'keeping':
      return <p className="mt-1 text-ui-sm text-zinc-300">{requestStateName('done')} · keeping it in the library…</p>
    case 'done':
      return (
        <p className="mt-1 text-ui-sm text-emerald-400">
          ✓ {requestStateName('done')} · {videosLabel(view)} <span className="text-zinc-400">· {formatClock(elapsed)}</span>
        </p>
      )
    case 'empty':
      return (
        <p className="mt-1 text-ui-sm text-amber-300">
          No video returned. The provider finished but sent no video (often a safety filter).
        </p>
      )
    case 'failed':
      return (
        <p className="mt-1 text-ui-sm text-red-400" role="status">
          {requestStateName('failed')}: {view.reason}
        </p>
      )
    case 'attention':
      return <ErrorMessage role="status" className="mt-1" size="sm" tone="warn" lead="Needs attention: " {...view.words} />
  }
}

/** The gateway's polls of this task failed lately: what the card shows is as old as the last answer, and more will come. */
const StillChecking = () => <p className="text-ui-xs text-amber-300">Connection trouble; still checking…</p>

function Bar({ percent, label }: { percent: number; label: string }) {
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(percent)}
      className="h-1.5 overflow-hidden rounded-full bg-zinc-800"
    >
      <div className="h-full rounded-full bg-accent transition-[width] duration-500" style={{ width: `${Math.max(2, percent)}%` }} />
    </div>
  )
}

function Thumb({ frame }: { frame: TaskRecord['request']['frames'][keyof TaskRecord['request']['frames']] }) {
  const src = useFrameSrc(frame)
  return (
    <div className="h-10 w-14 overflow-hidden rounded-[6px] bg-zinc-800">
      {src && <img src={src} alt="" className="h-full w-full object-cover" />}
    </div>
  )
}

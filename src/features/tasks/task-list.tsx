import { lazy, Suspense } from 'react'
import { Button } from '../../components/ui/button'
import type { TaskRecord } from '../../db/db'
import { useQueueHasItems } from '../../db/queue'
import { useRemainingSampleCounts, useTaskActions, useVisibleTasks } from '../../db/tasks'
import { TaskCard } from './task-card'
import { TaskStrip } from './task-strip'
import { useRetryTask } from './use-retry-task'

/** The queue's line loads when the queue first holds something: most sessions of single Generates never wait. */
const QueueStatusWords = lazy(() => import('./queue-status'))

interface TaskListProps {
  onShowSamples(task: TaskRecord): void
}

/** The task strip: newest first; running tasks are never hidden. Retries are sent from here, each with its own state. */
export function TaskList({ onShowSamples }: TaskListProps) {
  const tasks = useVisibleTasks()
  const remaining = useRemainingSampleCounts()
  const { retry, stateOf } = useRetryTask()
  const queueHasItems = useQueueHasItems()
  const actions = useTaskActions()
  // A press the gateway did not take leaves the card as it was, to press again; the banner says when it is away.
  const quietly = (done: Promise<unknown>) => void done.catch(() => {})
  const anyFinished = tasks?.some((t) => t.finishedAt) ?? false
  return (
    <>
      <div className="mb-2 flex h-7 items-center justify-between gap-2">
        <h2 className="text-ui-xs font-semibold tracking-wider text-zinc-400 uppercase">Tasks</h2>
        <p role="status" aria-label="Submit queue" className="min-w-0 flex-1 truncate text-ui-sm tabular text-zinc-400">
          {queueHasItems && (
            <Suspense fallback={null}>
              <QueueStatusWords />
            </Suspense>
          )}
        </p>
        {anyFinished && (
          <Button size="sm" variant="ghost" onClick={() => quietly(actions.dismissFinished())}>
            Clear finished
          </Button>
        )}
      </div>
      {tasks?.length === 0 && <p className="px-1 py-3 text-ui text-zinc-400">No tasks yet. Press Generate and they appear here.</p>}
      {tasks && tasks.length > 0 && (
        <TaskStrip tasks={tasks}>
          {(t) => (
            <TaskCard
              task={t}
              remaining={remaining && (remaining.get(t.id) ?? 0)}
              retry={stateOf(t.id)}
              onRetry={(task) => void retry(task)}
              onResumePolling={(task) => quietly(actions.resume(task.id))}
              onShowSamples={onShowSamples}
              onDismiss={(task) => quietly(actions.dismiss(task.id))}
            />
          )}
        </TaskStrip>
      )}
    </>
  )
}

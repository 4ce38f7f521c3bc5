import type { TaskRecord } from '../../db/db'
import { dismissTask, useVisibleTasks } from '../../db/tasks'
import { TaskCard } from './task-card'

interface TaskListProps {
  onRetry(task: TaskRecord): void
  onShowSamples(task: TaskRecord): void
}

/** Newest first; running tasks are never hidden. */
export function TaskList({ onRetry, onShowSamples }: TaskListProps) {
  const tasks = useVisibleTasks()
  if (!tasks) return null
  if (tasks.length === 0) return <p className="px-1 py-3 text-ui text-zinc-400">No tasks yet. Press Generate and they appear here.</p>
  return (
    <ul className="flex gap-2 overflow-x-auto pb-1" aria-label="Tasks">
      {tasks.map((t) => (
        <li key={t.id}>
          <TaskCard task={t} onRetry={onRetry} onShowSamples={onShowSamples} onDismiss={(task) => void dismissTask(task.id)} />
        </li>
      ))}
    </ul>
  )
}

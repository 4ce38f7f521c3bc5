import { useLiveQuery } from 'dexie-react-hooks'
import { db, type TaskRecord } from '../../db/db'
import { TaskCard } from './task-card'

interface TaskListProps {
  onRetry(task: TaskRecord): void
  onShowSamples(task: TaskRecord): void
}

/** Newest first; running tasks are never hidden. */
export function TaskList({ onRetry, onShowSamples }: TaskListProps) {
  const tasks = useLiveQuery(
    () =>
      db.tasks
        .orderBy('createdAt')
        .reverse()
        .filter((t) => !t.dismissed)
        .toArray(),
    [],
  )
  if (!tasks) return null
  if (tasks.length === 0) return <p className="px-1 py-3 text-ui text-zinc-400">No tasks yet. Press Generate and they appear here.</p>
  return (
    <ul className="flex gap-2 overflow-x-auto pb-1" aria-label="Tasks">
      {tasks.map((t) => (
        <li key={t.id}>
          <TaskCard
            task={t}
            onRetry={onRetry}
            onShowSamples={onShowSamples}
            onDismiss={(task) => void db.tasks.update(task.id, { dismissed: true })}
          />
        </li>
      ))}
    </ul>
  )
}

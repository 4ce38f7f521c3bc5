import { useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import { connectionFor } from '../../api/connection-store'
import { isApiError } from '../../api/errors'
import { taskQueries } from '../../api/queries'
import { isFinalStatus } from '../../api/schemas'
import type { TaskRecord } from '../../db/db'
import { markTaskLost, recordFinalResult, useRunningTasks } from '../../db/tasks'
import { keepVideo, keepVideosUntilStored } from '../../db/videos'

/** Polls one task (at the pace the query's own rule sets) and records what it learns. */
function TaskPoller({ task }: { task: TaskRecord }) {
  const query = useQuery(taskQueries.detail(connectionFor(task.provider), task.taskId))
  const status = query.data?.task.status

  useEffect(() => {
    if (!query.data || !status || !isFinalStatus(status)) return
    void recordFinalResult(task.id, query.data).then((samples) => samples.forEach((s) => void keepVideo(s)))
  }, [status, query.data, task.id])

  useEffect(() => {
    const e = query.error
    // The provider no longer knows the task: waiting will not bring it back.
    if (isApiError(e) && e.status === 404) void markTaskLost(task.id, `The provider no longer knows this task (${e.message}).`)
  }, [query.error, task.id])

  return null
}

/** One headless poller per unfinished task, wherever its card is shown (or folded away). */
export function TaskPollers() {
  const running = useRunningTasks()
  useEffect(() => keepVideosUntilStored(), [])
  return (
    <>
      {running?.map((t) => (
        <TaskPoller key={t.id} task={t} />
      ))}
    </>
  )
}

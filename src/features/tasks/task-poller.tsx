import { useQuery } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { connectionFor } from '../../api/connection-store'
import { isApiError } from '../../api/errors'
import { taskQueries } from '../../api/queries'
import { isFinalStatus } from '../../api/schemas'
import type { TaskRecord } from '../../db/db'
import { markTaskLost, recordFinalResult, useRunningTasks } from '../../db/tasks'
import { keepVideo, keepVideosUntilStored } from '../../db/videos'
import { nextPollDelay } from '../../api/poll-interval'

/** The query a task card reads; only TaskPoller fetches it, so every task has exactly one poller. */
export function taskResultQuery(task: TaskRecord) {
  return taskQueries.detail(connectionFor(task.provider), task.taskId)
}

function TaskPoller({ task }: { task: TaskRecord }) {
  // Failed polls in a row. TanStack Query resets its own count at every fetch, so backoff needs its own.
  const failures = useRef(0)
  const base = taskResultQuery(task)
  const query = useQuery({
    ...base,
    queryFn: async (context) => {
      try {
        const result = await base.queryFn!(context)
        failures.current = 0
        return result
      } catch (e) {
        failures.current += 1
        throw e
      }
    },
    retry: false,
    refetchInterval: (q) =>
      nextPollDelay({
        data: q.state.data,
        error: q.state.error,
        failures: failures.current,
        hidden: document.visibilityState === 'hidden',
      }),
    refetchIntervalInBackground: true,
  })
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

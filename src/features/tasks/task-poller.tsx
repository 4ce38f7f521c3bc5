import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { connectionFor, useApiKey } from '../../api/connection-store'
import { describeError, isApiError } from '../../api/errors'
import { pollGaveUp } from '../../api/poll-interval'
import { taskPollFailures, taskQueries } from '../../api/queries'
import { isFinalStatus } from '../../api/schemas'
import type { TaskRecord } from '../../db/db'
import { markTaskStalled, usePolledTasks } from '../../db/task-polling'
import { markTaskLost, recordFinalResult } from '../../db/tasks'
import { keepVideo, keepVideosUntilStored } from '../../db/videos'

/** Polls one task (at the pace the query's own rule sets) and records what it learns. */
function TaskPoller({ task }: { task: TaskRecord }) {
  const client = useQueryClient()
  const conn = connectionFor(task.provider)
  const query = useQuery(taskQueries.detail(conn, task.taskId))
  const status = query.data?.task.status

  useEffect(() => {
    if (!query.data || !status || !isFinalStatus(status)) return
    void recordFinalResult(task.id, query.data).then((samples) => samples.forEach((s) => void keepVideo(s)))
  }, [status, query.data, task.id])

  useEffect(() => {
    const e = query.error
    // The provider no longer knows the task: waiting will not bring it back.
    // Only the provider's own word for it: a 404 from a proxy in the way (a deploy) says nothing about the task.
    if (isApiError(e) && e.reason === 'TASK_NOT_FOUND') void markTaskLost(task.id, lostReason())
    // Too many failures in a row: polling has stopped (the rule says so too), and the card asks for Retry.
    else if (pollGaveUp(e, taskPollFailures(client, conn, task.taskId))) void markTaskStalled(task.id, describeError(e))
    // conn is rebuilt each render; the provider and task id name it.
    // oxlint-disable-next-line react-hooks/exhaustive-deps
  }, [query.error, query.errorUpdatedAt, task.id, client])

  return null
}

/** Why a task the provider no longer knows is lost: the card shows it after "Lost:". */
export const lostReason = () =>
  'the provider no longer knows this task (it may have expired, or the provider lost it). Retry sends the request again as a new task.'

/** One headless poller per unfinished task that polling has not given up on, wherever its card is shown. */
export function TaskPollers() {
  const running = usePolledTasks()
  useEffect(() => keepVideosUntilStored(), [])
  useRecheckOnNewKey()
  return (
    <>
      {running?.map((t) => (
        <TaskPoller key={t.id} task={t} />
      ))}
    </>
  )
}

/**
 * A task stopped by a refused key waits for the designer; once they change the key in Settings, it is checked again
 * by itself (no Retry needed): the cause is gone. Tasks stopped for other reasons are left alone.
 */
function useRecheckOnNewKey() {
  const client = useQueryClient()
  const apiKey = useApiKey()
  const last = useRef(apiKey)
  useEffect(() => {
    if (last.current === apiKey) return
    last.current = apiKey
    void client.refetchQueries({
      queryKey: taskQueries.all(),
      predicate: (q) => isApiError(q.state.error) && (q.state.error.status === 401 || q.state.error.status === 403),
    })
  }, [apiKey, client])
}

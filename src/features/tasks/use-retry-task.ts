import { useQueryClient } from '@tanstack/react-query'
import { useRef, useState } from 'react'
import type { TaskRecord } from '../../db/db'
import type { ErrorWords } from '../../api/errors'
import { sendErrorWords } from './queue-errors'
import { sendRequest } from './use-submit-task'

export interface RetryState {
  sending?: true
  error?: ErrorWords
}

/**
 * Retry, with its own state per task: a retry being sent shows on its own card ("Sending…"), never under
 * Generate, and a failed one says why on that card. One press makes one task: a press on a task already being
 * sent, or already sent again, does nothing.
 */
export function useRetryTask() {
  const client = useQueryClient()
  // Held outside React state so that two presses in the same tick still see each other.
  const taken = useRef(new Set<string>())
  const [states, setStates] = useState<Record<string, RetryState>>({})
  const set = (id: string, state: RetryState) => setStates((all) => ({ ...all, [id]: state }))

  const retry = async (task: TaskRecord): Promise<void> => {
    if (task.retriedAs || taken.current.has(task.id)) return
    taken.current.add(task.id)
    set(task.id, { sending: true })
    try {
      // Once sent, the task names its retry (and loses its Retry button); the id stays taken. One taken back stays
      // retryable.
      if (!(await sendRequest(task.request, task, { client }))) taken.current.delete(task.id)
      set(task.id, {})
    } catch (e) {
      taken.current.delete(task.id)
      set(task.id, { error: sendErrorWords(e) })
    }
  }
  return { retry, stateOf: (taskId: string): RetryState => states[taskId] ?? {} }
}

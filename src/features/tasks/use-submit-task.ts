import { useMutation } from '@tanstack/react-query'
import { useRef } from 'react'
import { submit } from '../../api/client'
import { connectionFor, currentProvider } from '../../api/connection-store'
import { describeError } from '../../api/errors'
import type { StoredRequest, TaskRecord } from '../../db/db'
import { buildRequestBody } from '../../db/requests'
import { addTask } from '../../db/tasks'
import { findModel } from '../../models'

/** Sends a request (again, for a retry: to the provider of the task it retries) and writes its task. */
export async function sendRequest(request: StoredRequest, retryOf?: TaskRecord): Promise<TaskRecord> {
  const model = findModel(request.modelId)
  if (!model) throw new Error('This model is not in the studio any more.')
  const provider = retryOf?.provider ?? currentProvider()
  const built = await buildRequestBody(model, request)
  if (!built.ok) throw new Error(built.message)
  const { task_id } = await submit(connectionFor(provider), model, built.body)
  return addTask(provider, task_id, request, { retryOf: retryOf?.id })
}

/**
 * Sends a request and writes its task at once. A press while one is being sent does nothing, so one
 * press makes one task, never two.
 */
export function useSubmitTask() {
  const sending = useRef(false)
  const mutation = useMutation({
    mutationFn: (request: StoredRequest) => sendRequest(request),
    onSettled: () => {
      sending.current = false
    },
  })
  return {
    ...mutation,
    /** Why the last send failed, in plain words with the technical part apart. */
    errorWords: mutation.error ? describeError(mutation.error) : undefined,
    send: (request: StoredRequest) => {
      if (sending.current) return Promise.resolve(undefined)
      sending.current = true
      return mutation.mutateAsync(request)
    },
  }
}

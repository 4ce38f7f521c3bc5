import type { QueryClient } from '@tanstack/react-query'
import * as z from 'zod/mini'
import { isApiError } from '../api/errors'
import { librarySend, okSchema } from '../api/library-client'
import { libraryKeys } from '../api/library-queries'
import type { Undoable } from '../lib/undo-store'
import type { ExperimentRecord, QueueItem } from './db'
import { noteCancelled, noteRestored } from './experiment-requests'
import { UNDO_WINDOW_MS } from './samples'

/*
 * Delete experiment, soft like a sample's Delete: the gateway takes the experiment, and with it its tasks and samples,
 * out of every read, and takes back its requests still waiting. Undo brings all of it back; the gateway purges it
 * for good a few minutes after (long after the toast has gone).
 */

export interface DeletedExperiment {
  id: string
  deletedAt: number
  /** The requests the deletion took back (Undo puts them back in line, same ids and places). */
  cancelled: string[]
}

const deletedSchema = z.object({ id: z.string(), deletedAt: z.number(), cancelled: z.array(z.string()) })
const path = (id: string) => `/experiments/${encodeURIComponent(id)}`

/** Everything a deletion or its Undo changes in what the studio reads. */
function refreshAround(client: QueryClient, id: string): void {
  for (const queryKey of [
    libraryKeys.experiments(),
    libraryKeys.board(id),
    libraryKeys.tasks(),
    libraryKeys.samples(),
    libraryKeys.queue(),
  ])
    void client.invalidateQueries({ queryKey, exact: true })
}

/** Deletes it; undefined when it is not there to delete (already deleted, from another tab or by a second press). */
export async function deleteExperiment(client: QueryClient, id: string): Promise<DeletedExperiment | undefined> {
  let deleted: DeletedExperiment
  try {
    deleted = await librarySend('DELETE', path(id), undefined, deletedSchema)
  } catch (e) {
    if (isApiError(e) && e.status === 404) return undefined
    throw e
  }
  noteCancelled(deleted.cancelled)
  // Gone from the list and its requests from the queue at once; its tasks and samples leave the strip and the
  // gallery when those are read again.
  client.setQueryData<ExperimentRecord[]>(libraryKeys.experiments(), (list) => list?.filter((e) => e.id !== id))
  client.setQueryData<QueueItem[]>(libraryKeys.queue(), (q) => q?.filter((i) => !deleted.cancelled.includes(i.id)))
  client.setQueryData(libraryKeys.board(id), null)
  refreshAround(client, id)
  return deleted
}

/** Undo: the experiment comes back with its tasks and samples, and its requests go back in line. */
export async function restoreExperiment(client: QueryClient, d: DeletedExperiment): Promise<void> {
  await librarySend('POST', `${path(d.id)}/restore`, undefined, okSchema)
  for (let i = 0; i < d.cancelled.length; i += 256)
    await librarySend('POST', '/requests/restore', { ids: d.cancelled.slice(i, i + 256) }, okSchema)
  noteRestored(d.cancelled)
  refreshAround(client, d.id)
}

/** The Undo toast of a deleted experiment. */
export function undoExperimentDeletion(client: QueryClient, d: DeletedExperiment, message: string, focus = false): Undoable {
  return {
    key: `experiment-deleted:${d.id}:${d.deletedAt}`,
    message,
    // By this tab's clock: the gateway's may differ.
    until: Date.now() + UNDO_WINDOW_MS,
    focus,
    undo: () => void restoreExperiment(client, d),
    // The gateway purges it on its own, a few minutes after the deletion.
    expire: () => {},
  }
}

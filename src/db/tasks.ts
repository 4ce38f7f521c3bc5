import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import * as z from 'zod/mini'
import { isApiError } from '../api/errors'
import { libraryGet, librarySend } from '../api/library-client'
import { libraryKeys, libraryQueries, toTask } from '../api/library-queries'
import { taskSchema } from '../api/library-schemas'
import type { SampleRecord, TaskRecord } from './db'

/*
 * The tasks, as the gateway's runner writes them: sent, polled by the studio's rule, archived at SUCCEED. The studio
 * reads them (the change feed keeps the list fresh) and asks for the few things a designer does to a task: Dismiss,
 * Clear finished, and Retry of a task whose checking stopped.
 */

const newestFirst = (a: TaskRecord, b: TaskRecord) => b.createdAt - a.createdAt

/** A task as the gateway answered it, put in the cached list at once (tests, and a tab whose feed is down, have no feed). */
export function putTask(client: QueryClient | undefined, task: TaskRecord): void {
  client?.setQueryData<TaskRecord[]>(
    libraryKeys.tasks(),
    (list) => list && [...list.filter((t) => t.id !== task.id), task].sort(newestFirst),
  )
}

/** One task, read from the gateway and put in the cache; undefined when the library does not show it. */
export async function readTask(id: string, client?: QueryClient): Promise<TaskRecord | undefined> {
  try {
    const task = toTask(await libraryGet(`/tasks/${encodeURIComponent(id)}`, taskSchema))
    putTask(client, task)
    return task
  } catch (e) {
    if (isApiError(e) && e.status === 404) return undefined
    throw e
  }
}

// Selections of the one task list, kept stable so a render that changes nothing re-selects nothing.
const visible = (tasks: TaskRecord[]) => tasks.filter((t) => !t.dismissed)
const running = (tasks: TaskRecord[]) => tasks.filter((t) => !t.finishedAt)

/** The task strip: newest first, dismissed tasks left out; undefined until the first read. */
export function useVisibleTasks(): TaskRecord[] | undefined {
  return useQuery({ ...libraryQueries.tasks(), select: visible }).data
}

/** The unfinished tasks; undefined until the first read. */
export function useRunningTasks(): TaskRecord[] | undefined {
  return useQuery({ ...libraryQueries.tasks(), select: running }).data
}

function countByTask(samples: SampleRecord[]): ReadonlyMap<string, number> {
  const counts = new Map<string, number>()
  for (const s of samples) counts.set(s.taskRecordId, (counts.get(s.taskRecordId) ?? 0) + 1)
  return counts
}

/**
 * How many of each task's videos are still in the gallery, by task record id (a task with none left is absent): a
 * deleted one stops counting at once, even while its Undo is offered (the list leaves deleted samples out). One read
 * for the whole task strip. Undefined until the first read.
 */
export function useRemainingSampleCounts(): ReadonlyMap<string, number> | undefined {
  return useQuery({ ...libraryQueries.samples(), select: countByTask }).data
}

const countSchema = z.object({ count: z.number() })

/** What a designer does to tasks; each change shows at once, and the feed tells the other tabs. */
export function useTaskActions() {
  const client = useQueryClient()
  const act = async (path: string) => putTask(client, toTask(await librarySend('POST', path, undefined, taskSchema)))
  return {
    /** Hides a task from the task strip; its samples stay in the gallery. */
    dismiss: (id: string) => act(`/tasks/${encodeURIComponent(id)}/dismiss`),
    /** Retry on a task whose checking stopped: the gateway polls it again (nothing is sent again). */
    resume: (id: string) => act(`/tasks/${encodeURIComponent(id)}/resume`),
    /** "Clear finished": every finished task leaves the strip; running ones stay. Resolves with how many left. */
    dismissFinished: async (): Promise<number> => {
      const { count } = await librarySend('POST', '/tasks/dismiss-finished', undefined, countSchema)
      client.setQueryData<TaskRecord[]>(libraryKeys.tasks(), (list) => list?.map((t) => (t.finishedAt ? { ...t, dismissed: true } : t)))
      return count
    },
  }
}

import { queryOptions, type QueryClient } from '@tanstack/react-query'
import * as z from 'zod/mini'
import type { ExperimentRecord, FrameRecordMeta, PromptRecord, QueueItem, SampleRecord, TaskRecord } from '../db/db'
import { isApiError } from './errors'
import { libraryGet, listAll } from './library-client'
import { libraryPollInterval, type ChangeHandler } from './library-feed'
import {
  experimentSchema,
  frameSchema,
  itemsOf,
  promptSchema,
  queueItemSchema,
  sampleSchema,
  taskSchema,
  type Change,
  type QueueItemJson,
  type SampleJson,
  type TaskJson,
} from './library-schemas'

/*
 * The library's queries, one factory per resource, as TanStack Query holds them: key, fetcher, and the polling that
 * stands in while the change feed is down. The feed's changes (openLibraryFeed) refresh just what they name: a
 * sample or a task by its id when few changed, the whole list otherwise.
 */

/** A sample as the studio's components read it (src/db/db.ts): the favourite mark as 0 or 1. */
export const toSample = (s: SampleJson): SampleRecord => ({ ...(s as unknown as SampleRecord), favourite: s.favourite ? 1 : 0 })
export const toTask = (t: TaskJson): TaskRecord => ({ ...(t as unknown as TaskRecord), dismissed: t.dismissed || undefined })
export const toQueueItem = (q: QueueItemJson): QueueItem => q as unknown as QueueItem

/** Newest first, and a task's samples in their own order (1 of 4 before 2 of 4). */
export const sampleOrder = (a: SampleRecord, b: SampleRecord) => b.createdAt - a.createdAt || a.index - b.index
const taskOrder = (a: TaskRecord, b: TaskRecord) => b.createdAt - a.createdAt

const boardSchema = z.object({
  experiment: experimentSchema,
  tasks: z.array(taskSchema),
  samples: z.array(sampleSchema),
})
export interface Board {
  experiment: ExperimentRecord
  tasks: TaskRecord[]
  samples: SampleRecord[]
}

export const settingsSchema = z.object({
  requestsPerMinute: z.number(),
  providerKey: z.object({ held: z.boolean(), source: z.nullable(z.enum(['server', 'gateway'])) }),
})
export type LibrarySettings = z.infer<typeof settingsSchema>

const usageSchema = z.object({ bytes: z.number(), count: z.number() })
export const storageSchema = z.object({
  dataDir: z.string(),
  engine: z.string(),
  database: z.object({ bytes: z.number() }),
  files: z.object({ videos: usageSchema, posters: usageSchema, frames: usageSchema }),
  disk: z.object({ freeBytes: z.number(), totalBytes: z.number() }),
  /** Set while the runner's archiving is paused ('disk-full': it tries again by itself every 30 s). */
  paused: z.optional(z.nullable(z.object({ reason: z.string() }))),
})
export type LibraryStorage = z.infer<typeof storageSchema>

export const libraryKeys = {
  all: ['library'] as const,
  samples: () => ['library', 'samples'] as const,
  tasks: () => ['library', 'tasks'] as const,
  experiments: () => ['library', 'experiments'] as const,
  board: (id: string) => ['library', 'board', id] as const,
  boards: () => ['library', 'board'] as const,
  queue: () => ['library', 'queue'] as const,
  prompts: (q: string) => ['library', 'prompts', q] as const,
  frame: (hash: string) => ['library', 'frames', hash] as const,
  settings: () => ['library', 'settings'] as const,
  storage: () => ['library', 'storage'] as const,
}

export const libraryQueries = {
  /** Every sample not deleted, newest first. */
  samples: () =>
    queryOptions({
      queryKey: libraryKeys.samples(),
      queryFn: async ({ signal }) => (await listAll('/samples', sampleSchema, { signal })).map(toSample).sort(sampleOrder),
      refetchInterval: libraryPollInterval(10_000),
    }),
  /** Every task, newest first (dismissed ones too: their samples and boards still name them). */
  tasks: () =>
    queryOptions({
      queryKey: libraryKeys.tasks(),
      queryFn: async ({ signal }) => (await listAll('/tasks', taskSchema, { signal })).map(toTask).sort(taskOrder),
      refetchInterval: libraryPollInterval(3_000),
    }),
  experiments: () =>
    queryOptions({
      queryKey: libraryKeys.experiments(),
      queryFn: async ({ signal }) => (await listAll('/experiments', experimentSchema, { signal })) as unknown as ExperimentRecord[],
      refetchInterval: libraryPollInterval(10_000),
    }),
  /** One board: the experiment, its tasks and their samples; null once it is gone (deleted, or never was). */
  board: (id: string) =>
    queryOptions({
      queryKey: libraryKeys.board(id),
      queryFn: async ({ signal }): Promise<Board | null> => {
        try {
          const b = await libraryGet(`/experiments/${encodeURIComponent(id)}`, boardSchema, { signal })
          return {
            experiment: b.experiment as unknown as ExperimentRecord,
            tasks: b.tasks.map(toTask),
            samples: b.samples.map(toSample).sort(sampleOrder),
          }
        } catch (e) {
          if (isApiError(e) && e.status === 404) return null
          throw e
        }
      },
      refetchInterval: libraryPollInterval(3_000),
    }),
  /** Requests waiting to be sent, being sent, or failed to send, in the order the gateway sends them. */
  queue: () =>
    queryOptions({
      queryKey: libraryKeys.queue(),
      queryFn: async ({ signal }) => (await libraryGet('/requests', itemsOf(queueItemSchema), { signal })).items.map(toQueueItem),
      refetchInterval: libraryPollInterval(3_000),
    }),
  prompts: (q: string, limit: number) =>
    queryOptions({
      queryKey: [...libraryKeys.prompts(q), limit] as const,
      queryFn: async ({ signal }): Promise<PromptRecord[]> => {
        const params = new URLSearchParams({ limit: String(limit) })
        if (q) params.set('q', q)
        return (await libraryGet(`/prompts?${params}`, z.object({ items: z.array(promptSchema) }), { signal })).items
      },
      staleTime: 5_000,
    }),
  frame: (hash: string) =>
    queryOptions({
      queryKey: libraryKeys.frame(hash),
      queryFn: ({ signal }): Promise<FrameRecordMeta> => libraryGet(`/frames/${hash}`, frameSchema, { signal }) as Promise<FrameRecordMeta>,
      staleTime: Number.POSITIVE_INFINITY,
    }),
  settings: () =>
    queryOptions({
      queryKey: libraryKeys.settings(),
      queryFn: ({ signal }) => libraryGet('/settings', settingsSchema, { signal }),
      refetchInterval: libraryPollInterval(30_000),
    }),
  storage: () =>
    queryOptions({
      queryKey: libraryKeys.storage(),
      queryFn: ({ signal }) => libraryGet('/storage', storageSchema, { signal }),
      // A full disk is heard on the feed; this is for a pause that began in another workspace's archive.
      refetchInterval: 30_000,
    }),
}

/** At most this many ids are fetched one by one; more, and the list is read again. */
const PATCH_MAX = 24

/**
 * A list in the cache, brought up to date for the ids that changed: each is read again and put in its place (or
 * taken out when it is gone or deleted). Falls back to reading the whole list.
 */
async function patchList<T extends { id: string; deletedAt?: number | undefined }>(
  client: QueryClient,
  key: readonly unknown[],
  ids: readonly string[],
  fetchOne: (id: string) => Promise<T | undefined>,
  order: (a: T, b: T) => number,
): Promise<void> {
  const held = client.getQueryData<T[]>(key)
  if (!held) return
  if (ids.length > PATCH_MAX) return client.invalidateQueries({ queryKey: key, exact: true })
  try {
    const fresh = await Promise.all(ids.map(fetchOne))
    client.setQueryData<T[]>(key, (list = []) => {
      const byId = new Map(list.map((x) => [x.id, x]))
      ids.forEach((id, i) => {
        const item = fresh[i]
        if (!item || item.deletedAt !== undefined) byId.delete(id)
        else byId.set(id, item)
      })
      return [...byId.values()].sort(order)
    })
  } catch {
    await client.invalidateQueries({ queryKey: key, exact: true })
  }
}

const orUndefinedOn404 = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await read()
  } catch (e) {
    if (isApiError(e) && e.status === 404) return undefined
    throw e
  }
}

/** What each change of the feed refreshes. */
export const applyLibraryChange: ChangeHandler = (client, change: Change) => {
  const { topic, ids } = change
  switch (topic) {
    case 'samples':
      void patchList(
        client,
        libraryKeys.samples(),
        ids,
        (id) => orUndefinedOn404(async () => toSample(await libraryGet(`/samples/${encodeURIComponent(id)}`, sampleSchema))),
        sampleOrder,
      )
      void client.invalidateQueries({ queryKey: libraryKeys.boards() })
      return
    case 'tasks':
      void patchList(
        client,
        libraryKeys.tasks(),
        ids,
        (id) => orUndefinedOn404(async () => toTask(await libraryGet(`/tasks/${encodeURIComponent(id)}`, taskSchema))),
        taskOrder,
      )
      void client.invalidateQueries({ queryKey: libraryKeys.boards() })
      return
    case 'experiments':
      void client.invalidateQueries({ queryKey: libraryKeys.experiments() })
      for (const id of ids) void client.invalidateQueries({ queryKey: libraryKeys.board(id) })
      return
    case 'queue':
      void client.invalidateQueries({ queryKey: libraryKeys.queue() })
      return
    case 'prompts':
      void client.invalidateQueries({ queryKey: ['library', 'prompts'] })
      return
    case 'frames':
      for (const id of ids) void client.invalidateQueries({ queryKey: libraryKeys.frame(id) })
      return
    case 'settings':
      void client.invalidateQueries({ queryKey: libraryKeys.settings() })
      return
    case 'storage':
      void client.invalidateQueries({ queryKey: libraryKeys.storage() })
      return
    default:
      void client.invalidateQueries({ queryKey: libraryKeys.all })
  }
}

import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useCallback, useMemo } from 'react'
import type { ProviderId } from '../api/gateway-urls'
import { librarySend, okSchema } from '../api/library-client'
import { libraryKeys, libraryQueries, type Board } from '../api/library-queries'
import { experimentSchema } from '../api/library-schemas'
import type { CellMarks, CellRef, ExperimentColumn, ExperimentRecord, QueueItem, SampleRecord, StoredRequest, TaskRecord } from './db'
import { useQueueInTransit } from './experiment-requests'
import { samplesById } from './samples'
import { postRequests, prepareRequests } from './submit'

/*
 * Sweeps and their boards, as the gateway's library keeps them: the reads are the library's queries (kept fresh by the
 * change feed), the writes go to /api/library and put their answer in the query cache at once.
 */

export const cellKey = ({ row, col }: CellRef) => `${row}:${col}`

const experimentPath = (id: string) => `/experiments/${encodeURIComponent(id)}`
const asExperiment = (e: unknown) => e as ExperimentRecord

export interface NewExperiment {
  name: string
  provider: ProviderId
  base: StoredRequest
  rows: string[]
  columns: ExperimentColumn[]
  /** Every task of the sweep, in sending order, with its cell. */
  cells: readonly { cell: CellRef; request: StoredRequest }[]
}

/**
 * Run sweep: every cell's request is made first (its frames uploaded once each), then the experiment, then its
 * requests in the gateway's queue, in order. Should the requests not be taken, the experiment goes again, so a board
 * never stands without its requests; the error says why.
 */
export async function createExperiment(client: QueryClient, input: NewExperiment): Promise<ExperimentRecord> {
  const id = crypto.randomUUID()
  const prepared = await prepareRequests(
    input.cells.map(({ cell, request }) => ({ provider: input.provider, request, experimentId: id, cell })),
  )
  const { name, base, rows, columns } = input
  const experiment = asExperiment(await librarySend('POST', '/experiments', { id, name, base, rows, columns }, experimentSchema))
  try {
    await postRequests(prepared, client)
  } catch (e) {
    await librarySend('DELETE', experimentPath(id), undefined, okSchema).catch(() => {})
    throw e
  }
  client.setQueryData<ExperimentRecord[]>(libraryKeys.experiments(), (list) => list && [experiment, ...list.filter((x) => x.id !== id)])
  const board: Board = { experiment, tasks: [], samples: [] }
  client.setQueryData<Board | null>(libraryKeys.board(id), board)
  return experiment
}

/** The experiment as the cache holds it (the board's read first: it is the one a board shows). */
function cachedExperiment(client: QueryClient, id: string): ExperimentRecord | undefined {
  return (
    client.getQueryData<Board | null>(libraryKeys.board(id))?.experiment ??
    client.getQueryData<ExperimentRecord[]>(libraryKeys.experiments())?.find((e) => e.id === id)
  )
}

function patchCachedExperiment(client: QueryClient, id: string, change: (e: ExperimentRecord) => ExperimentRecord): void {
  client.setQueryData<ExperimentRecord[]>(libraryKeys.experiments(), (list) => list?.map((e) => (e.id === id ? change(e) : e)))
  client.setQueryData<Board | null>(libraryKeys.board(id), (b) => b && { ...b, experiment: change(b.experiment) })
}

/** Writes in flight, per experiment: they go one after another, in the order pressed. */
const writing = new Map<string, { tail: Promise<unknown>; pending: number }>()

/**
 * One change to an experiment: shown at once, then sent after the experiment's earlier changes (so the gateway ends
 * where the designer did). The gateway's answer replaces the cached record only when no later change is on its way:
 * an earlier answer would put an older name or mark back for a moment.
 */
async function writeExperiment(
  client: QueryClient,
  id: string,
  body: { name?: string; marks?: Record<string, CellMarks> },
  change: (e: ExperimentRecord) => ExperimentRecord,
): Promise<void> {
  patchCachedExperiment(client, id, change)
  const queue = writing.get(id) ?? { tail: Promise.resolve(), pending: 0 }
  writing.set(id, queue)
  queue.pending++
  const send = queue.tail.catch(() => {}).then(() => librarySend('PATCH', experimentPath(id), body, experimentSchema))
  queue.tail = send
  try {
    const saved = asExperiment(await send)
    if (queue.pending === 1) patchCachedExperiment(client, id, () => saved)
  } catch (e) {
    // What the gateway holds is the truth: read again, shown or not, so no refused change is left in the cache.
    void client.invalidateQueries({ queryKey: libraryKeys.experiments(), refetchType: 'all' })
    void client.invalidateQueries({ queryKey: libraryKeys.board(id), refetchType: 'all' })
    throw e
  } finally {
    if (--queue.pending === 0) writing.delete(id)
  }
}

export async function renameExperiment(client: QueryClient, id: string, name: string): Promise<void> {
  const trimmed = name.trim()
  if (trimmed) await writeExperiment(client, id, { name: trimmed }, (e) => ({ ...e, name: trimmed }))
}

const withMarks = (key: string, change: CellMarks) => (e: ExperimentRecord) => ({
  ...e,
  marks: { ...e.marks, [key]: { ...e.marks[key], ...change } },
})

/** Sets a cell's winner mark or note; the gateway merges it with the cell's other mark. */
export async function markCell(client: QueryClient, id: string, cell: CellRef, change: CellMarks): Promise<void> {
  const key = cellKey(cell)
  await writeExperiment(client, id, { marks: { [key]: change } }, withMarks(key, change))
}

/**
 * Flips a cell's Winner from the mark as last set (shown at once), not from the one on screen: a second press before
 * the board re-renders flips it back, as the designer meant, instead of setting the same value twice.
 */
export async function toggleWinner(client: QueryClient, id: string, cell: CellRef): Promise<void> {
  const winner = cachedExperiment(client, id)?.marks[cellKey(cell)]?.winner !== true
  await markCell(client, id, cell, { winner })
}

const newestFirst = (a: ExperimentRecord, b: ExperimentRecord) => b.createdAt - a.createdAt

/** Every experiment, newest first (deleted ones left out); undefined until the first read. */
export function useExperiments(): ExperimentRecord[] | undefined {
  return useQuery({ ...libraryQueries.experiments(), select: selectExperiments }).data
}
const selectExperiments = (list: ExperimentRecord[]) => list.filter((e) => e.deletedAt === undefined).sort(newestFirst)

/** One experiment: undefined while reading, null when there is none with this id (or it was deleted). */
export function useExperiment(id: string): ExperimentRecord | null | undefined {
  return useQuery({ ...libraryQueries.board(id), select: selectExperiment }).data
}
const selectExperiment = (b: Board | null) => b?.experiment ?? null

export interface ExperimentContents {
  /** Oldest first. */
  tasks: TaskRecord[]
  /** Samples still in the library (deleted ones left out), by task record id, in their own order. */
  samples: Map<string, SampleRecord[]>
  /** The whole submit queue in the gateway's sending order (places in line and pauses are counted over all of it). */
  queue: QueueItem[]
  /** This experiment's queue items. */
  items: QueueItem[]
}

/**
 * An experiment's tasks, their samples and the submit queue; undefined until both are read. A request the gateway
 * has just sent stays in the queue here until its task is read (useQueueInTransit): the two are read apart, and a
 * board that saw neither would show that cell, for a moment, as cancelled.
 */
export function useExperimentContents(id: string): ExperimentContents | undefined {
  const client = useQueryClient()
  const board = useQuery(libraryQueries.board(id)).data
  const taskIds = useMemo(() => (board ? new Set(board.tasks.map((t) => t.id)) : undefined), [board])
  const refresh = useCallback(() => void client.invalidateQueries({ queryKey: libraryKeys.board(id) }), [client, id])
  const queue = useQueueInTransit(useQuery(libraryQueries.queue()).data, taskIds, refresh)
  return useMemo(() => {
    if (!board || !queue) return undefined
    const samples = new Map<string, SampleRecord[]>()
    for (const s of [...board.samples].sort((a, b) => a.index - b.index))
      if (s.deletedAt === undefined) samples.set(s.taskRecordId, [...(samples.get(s.taskRecordId) ?? []), s])
    return {
      tasks: [...board.tasks].sort((a, b) => a.createdAt - b.createdAt),
      samples,
      queue,
      items: queue.filter((i) => i.experimentId === id),
    }
  }, [board, queue, id])
}

const noRefresh = () => {}

/**
 * Every task that belongs to an experiment and every queue item of one: the Experiments list counts them. A request
 * just sent counts as waiting until its task is read, as on a board.
 */
export function useExperimentActivity(): { tasks: TaskRecord[]; items: QueueItem[] } | undefined {
  const tasks = useQuery({ ...libraryQueries.tasks(), select: selectExperimentTasks }).data
  const taskIds = useMemo(() => tasks && new Set(tasks.map((t) => t.id)), [tasks])
  const queue = useQueueInTransit(useQuery(libraryQueries.queue()).data, taskIds, noRefresh)
  return useMemo(() => tasks && queue && { tasks, items: queue.filter((i) => i.experimentId !== undefined) }, [tasks, queue])
}
const selectExperimentTasks = (list: TaskRecord[]) => list.filter((t) => t.experimentId !== undefined)

/** How many finished tasks the list looks through for a thumbnail: never the whole sweep. */
const THUMB_CANDIDATES = 4

/**
 * An experiment's first finished sample still in the library with its poster kept, read from the first few finished
 * tasks, oldest first: the Experiments list's thumbnail. Undefined while there is none.
 */
export function useFirstKeptSample(tasks: readonly TaskRecord[]): SampleRecord | undefined {
  const ids = tasks
    .filter((t) => t.finishedAt && t.videoCount)
    .sort((a, b) => a.createdAt - b.createdAt)
    .slice(0, THUMB_CANDIDATES)
    .flatMap((t) => Array.from({ length: t.videoCount ?? 0 }, (_, i) => `${t.id}#${i}`))
  const key = ids.join('\n')
  const select = useCallback(
    (list: SampleRecord[]) => {
      const byId = samplesById(list)
      return ids.map((id) => byId.get(id)).find((s) => s && s.stored && s.posterSha256 && s.deletedAt === undefined)
    },
    // The ids' content, not the array's identity, decides what is selected.
    // oxlint-disable-next-line react-hooks/exhaustive-deps
    [key],
  )
  return useQuery({ ...libraryQueries.samples(), select, enabled: ids.length > 0 }).data
}

import { useQueries, type QueryClient, type UseQueryResult } from '@tanstack/react-query'
import { useEffect, useMemo, useRef, useState } from 'react'
import * as z from 'zod/mini'
import { isApiError } from '../api/errors'
import type { ProviderId } from '../api/gateway-urls'
import { libraryGet, librarySend } from '../api/library-client'
import { libraryKeys, libraryQueries, type Board } from '../api/library-queries'
import type { CellRef, QueueItem, StoredRequest } from './db'
import { postRequests, prepareRequests, putQueueItems } from './submit'

/*
 * A sweep's requests in the gateway's submit queue: sent there, re-run, cancelled and put back; and how a board reads
 * the queue while the gateway turns a request into its task.
 */

/** The most ids or requests the gateway takes in one call. */
const PER_CALL = 256
const chunks = <T>(list: readonly T[]) =>
  Array.from({ length: Math.ceil(list.length / PER_CALL) }, (_, i) => list.slice(i * PER_CALL, (i + 1) * PER_CALL))

const idsSchema = z.object({ ids: z.array(z.string()) })
const sameCell = (a: CellRef | undefined, b: CellRef | undefined) =>
  a !== undefined && b !== undefined && a.row === b.row && a.col === b.col
const isWaiting = (i: QueueItem) => i.state === 'queued' || i.state === 'sending'

/** The gateway's sending order: a single Generate or Re-run ahead of a sweep, then oldest first. */
const rank = (i: QueueItem) => (i.priority === 'single' ? 0 : 1)
const sendingOrder = (a: QueueItem, b: QueueItem) => rank(a) - rank(b) || a.createdAt - b.createdAt

/** Requests this tab cancelled: when they leave the queue, they are known to be cancelled, not on their way. */
const cancelledHere = new Set<string>()
export const noteCancelled = (ids: readonly string[]) => ids.forEach((id) => cancelledHere.add(id))
export const noteRestored = (ids: readonly string[]) => ids.forEach((id) => cancelledHere.delete(id))

/** Cells with a Re-run on its way to the gateway: a second press before the first is answered adds nothing. */
const rerunning = new Set<string>()

export interface RerunEntry {
  provider: ProviderId
  request: StoredRequest
  experimentId: string
  cell: CellRef
}

/**
 * Re-run: one cell's request again, as a single run (ahead of the sweep's waiting requests), retrying the cell's last
 * task when it has one. Nothing is added while the cell already has a request waiting that is newer than its newest
 * task, or one on its way (a second press before the board re-read): undefined then.
 */
export async function rerunCell(client: QueryClient, entry: RerunEntry, retryOf?: string): Promise<QueueItem | undefined> {
  const key = `${entry.experimentId}:${entry.cell.row}:${entry.cell.col}`
  const tasks = client.getQueryData<Board | null>(libraryKeys.board(entry.experimentId))?.tasks ?? []
  const newestTask = Math.max(-Infinity, ...tasks.filter((t) => sameCell(t.cell, entry.cell)).map((t) => t.createdAt))
  const waiting = (client.getQueryData<QueueItem[]>(libraryKeys.queue()) ?? []).some(
    (i) => i.experimentId === entry.experimentId && sameCell(i.cell, entry.cell) && isWaiting(i) && i.createdAt >= newestTask,
  )
  if (waiting || rerunning.has(key)) return undefined
  rerunning.add(key)
  try {
    const prepared = await prepareRequests([{ ...entry, ...(retryOf ? { retryOf } : {}) }])
    // A Re-run is a single run: it goes ahead of the sweep's waiting requests, as a Generate does.
    return (
      await postRequests(
        prepared.map((item) => ({ ...item, priority: 'single' as const })),
        client,
      )
    )[0]
  } finally {
    rerunning.delete(key)
  }
}

/** What Cancel sweep did, for its Undo. */
export interface CancelledSweep {
  experimentId: string
  /** Requests taken back while waiting their turn, as they were. */
  removed: QueueItem[]
  /** Requests going out at that moment: never sent again, but one the provider accepted still becomes its task. */
  flagged: QueueItem[]
}

/**
 * Cancel sweep: the gateway takes back the experiment's requests still waiting (a failed one stays, with its reason).
 * They leave the board at once; the one going out, if any, stays until its task or its refusal is read.
 */
export async function cancelWaiting(client: QueryClient, experimentId: string): Promise<CancelledSweep> {
  const queue = await client.ensureQueryData(libraryQueries.queue())
  const mine = queue.filter((i) => i.experimentId === experimentId && isWaiting(i))
  const cancelled = new Set<string>()
  for (const part of chunks(mine.map((i) => i.id)))
    for (const id of (await librarySend('POST', '/requests/cancel', { ids: part }, idsSchema)).ids) cancelled.add(id)
  noteCancelled([...cancelled])
  const taken = mine.filter((i) => cancelled.has(i.id))
  const removed = taken.filter((i) => i.state === 'queued')
  const gone = new Set(removed.map((i) => i.id))
  client.setQueryData<QueueItem[]>(libraryKeys.queue(), (q) => q?.filter((i) => !gone.has(i.id)))
  return { experimentId, removed, flagged: taken.filter((i) => i.state === 'sending') }
}

/**
 * Undo of Cancel sweep: the gateway puts the requests back in their old places in line (the same ids, so the same
 * idempotency keys). A cell re-run since keeps its new request alone: no twin comes back; nor does one that became
 * its task meanwhile (the gateway keeps that one out).
 */
export async function restoreWaiting(client: QueryClient, { experimentId, removed, flagged }: CancelledSweep): Promise<void> {
  const queue = client.getQueryData<QueueItem[]>(libraryKeys.queue()) ?? []
  const tasks = client.getQueryData<Board | null>(libraryKeys.board(experimentId))?.tasks ?? []
  const newer = (item: QueueItem) =>
    [...queue, ...tasks].some(
      (x) => x.id !== item.id && x.experimentId === experimentId && sameCell(x.cell, item.cell) && x.createdAt > item.createdAt,
    )
  const back = [...removed, ...flagged].filter((i) => !newer(i))
  const restored = new Set<string>()
  for (const part of chunks(back.map((i) => i.id)))
    for (const id of (await librarySend('POST', '/requests/restore', { ids: part }, idsSchema)).ids) restored.add(id)
  noteRestored([...restored])
  putQueueItems(
    client,
    back.filter((i) => restored.has(i.id)).map((i) => ({ ...i, state: 'queued' as const })),
  )
  void client.invalidateQueries({ queryKey: libraryKeys.queue(), exact: true })
}

/* ---- Reading the queue while requests become tasks ---- */

type Lookup = { state: string; taskRecordId?: string | undefined } | null
const lookupSchema = z.object({ state: z.string(), taskRecordId: z.optional(z.string()) })

/** A request that left the queue's list, from the moment it was seen to leave (`since` tells apart two departures). */
interface Departed {
  item: QueueItem
  since: number
}
let departures = 0

/** Whether a departed request is still on its way to its task (or back into the queue). */
function onItsWay(d: Departed, lookup: UseQueryResult<Lookup>, taskIds: ReadonlySet<string> | undefined): boolean {
  if (cancelledHere.has(d.item.id)) return false
  if (lookup.isPending) return true
  const r = lookup.data
  if (!r) return false
  if (r.taskRecordId) return !taskIds?.has(r.taskRecordId)
  return r.state === 'queued' || r.state === 'sending'
}

/**
 * The queue, with each request that has just left it kept in until its task is read. The gateway turns a request into
 * its task in one step, but the studio reads the queue and the tasks apart: between the two reads a cell would show
 * neither, and read as cancelled. So a request that leaves the queue's list is looked up once: sent, it stays (as it
 * last was) until `taskIds` holds its task, and `refresh` is asked to read the tasks again; cancelled or refused, it
 * goes at once.
 */
export function useQueueInTransit(
  queue: QueueItem[] | undefined,
  taskIds: ReadonlySet<string> | undefined,
  refresh: () => void,
): QueueItem[] | undefined {
  const [seen, setSeen] = useState(queue)
  const [departed, setDeparted] = useState<readonly Departed[]>([])
  if (queue !== seen) {
    // Compared while rendering, so the render that lacks a request already keeps it (no frame shows it cancelled).
    setSeen(queue)
    const present = new Set(queue?.map((i) => i.id))
    const left = (seen ?? []).filter((i) => queue && !present.has(i.id) && isWaiting(i)).map((item) => ({ item, since: ++departures }))
    if (left.length || departed.some((d) => present.has(d.item.id)))
      setDeparted((ds) => [...ds.filter((d) => !present.has(d.item.id)), ...left])
  }
  const lookups = useQueries({
    queries: departed.map((d) => ({
      queryKey: ['library', 'request', d.item.id, d.since] as const,
      queryFn: async ({ signal }: { signal: AbortSignal }): Promise<Lookup> => {
        try {
          return await libraryGet(`/requests/${encodeURIComponent(d.item.id)}`, lookupSchema, { signal })
        } catch (e) {
          if (isApiError(e) && e.status === 404) return null
          throw e
        }
      },
      enabled: !cancelledHere.has(d.item.id),
      staleTime: Number.POSITIVE_INFINITY,
      retry: false,
    })),
  })
  const states = departed.map((d, k) => ({ d, lookup: lookups[k]! }))
  const held = states
    .filter(({ d, lookup }) => onItsWay(d, lookup, taskIds))
    .map(({ d, lookup }) => ({ ...d, sent: Boolean(lookup.data?.taskRecordId) }))
  const heldKey = held.map((d) => d.since).join(',')

  // Sent, and its task not read yet: the tasks are read again, once for each departure.
  const refreshed = useRef(new Set<number>())
  useEffect(() => {
    const fresh = held.filter((d) => d.sent && !refreshed.current.has(d.since))
    fresh.forEach((d) => refreshed.current.add(d.since))
    if (fresh.length) refresh()
  })
  // The ones settled leave the list (their lookups with them).
  useEffect(() => {
    const keep = new Set(heldKey ? heldKey.split(',') : [])
    if (keep.size < departed.length) setDeparted((ds) => ds.filter((d) => keep.has(String(d.since))))
  }, [heldKey, departed.length])

  return useMemo(
    () => (queue && held.length ? [...queue, ...held.map((d) => d.item)].sort(sendingOrder) : queue),
    // The held requests are named by heldKey.
    // oxlint-disable-next-line react-hooks/exhaustive-deps
    [queue, heldKey],
  )
}

import { useQueryClient, type QueryClient } from '@tanstack/react-query'
import * as z from 'zod/mini'
import { create } from 'zustand'
import { librarySend, okSchema } from '../api/library-client'
import { libraryKeys, sampleOrder } from '../api/library-queries'
import { plural } from '../lib/format'
import type { Undoable } from '../lib/undo-store'
import type { SampleRecord } from './db'
import { forgetDeletion, holdDeletion, type Deletion } from './held-deletions'
import { UNDO_WINDOW_MS } from './samples'

/*
 * The designer's marks on samples, through the gateway: favourite (one or many), delete (with one Undo per deletion)
 * and restore. Each write changes the cached list at once, so the card reacts on the press, and puts it back, with
 * words, when the gateway refuses; the change feed then brings the same change to every other tab.
 */

const LIST = libraryKeys.samples()
const deletedSchema = z.object({ ids: z.array(z.string()), deletedAt: z.number() })
const restoredSchema = z.object({ ids: z.array(z.string()) })

/**
 * Changes the cached list now. A read of the list already under way would bring back what the gateway held before this
 * write: it is called off, and made again once the write is in (`settle`).
 */
function changeList(client: QueryClient, change: (list: SampleRecord[]) => SampleRecord[]): { reading: boolean } {
  const reading = client.isFetching({ queryKey: LIST, exact: true }) > 0
  // A change made by hand is what a called-off read falls back to, so the order of these two does not matter.
  client.setQueryData<SampleRecord[]>(LIST, (list) => list && change(list))
  if (reading) void client.cancelQueries({ queryKey: LIST, exact: true })
  return { reading }
}

function settle(client: QueryClient, { reading }: { reading: boolean }) {
  if (reading) void client.invalidateQueries({ queryKey: LIST, exact: true })
  // The boards hold their samples apart (one query a board).
  void client.invalidateQueries({ queryKey: libraryKeys.boards() })
}

const without = (ids: ReadonlySet<string>) => (list: SampleRecord[]) => list.filter((s) => !ids.has(s.id))
const withBack = (records: readonly SampleRecord[]) => (list: SampleRecord[]) => {
  const held = new Set(list.map((s) => s.id))
  const back = records.filter((s) => !held.has(s.id))
  return back.length ? [...list, ...back].sort(sampleOrder) : list
}

/*
 * Favourite marks go to the gateway one write after another: two quick presses on one card are sent in the order they
 * were made, so the last one stands there as it does here.
 */
let markTurn: Promise<unknown> = Promise.resolve()
function inTurn<T>(send: () => Promise<T>): Promise<T> {
  const sent = markTurn.then(send, send)
  markTurn = sent.catch(() => undefined)
  return sent
}

async function writeFavourite(client: QueryClient, ids: readonly string[], on: boolean, send: () => Promise<unknown>): Promise<void> {
  const wanted = new Set(ids)
  const mark = on ? 1 : 0
  const before = new Map((client.getQueryData<SampleRecord[]>(LIST) ?? []).filter((s) => wanted.has(s.id)).map((s) => [s.id, s.favourite]))
  const change = changeList(client, (list) => list.map((s) => (wanted.has(s.id) && s.favourite !== mark ? { ...s, favourite: mark } : s)))
  try {
    await inTurn(send)
  } catch (e) {
    // Back as it was, unless a later press has changed it since.
    client.setQueryData<SampleRecord[]>(LIST, (list) =>
      list?.map((s) => {
        const was = before.get(s.id)
        return was !== undefined && was !== mark && s.favourite === mark ? { ...s, favourite: was } : s
      }),
    )
    throw e
  } finally {
    settle(client, change)
  }
}

/** The records a deletion took out of the list, by its stamp: its Undo puts them back at once. */
const taken = new Map<number, SampleRecord[]>()

export interface SampleWrites {
  /** Flips one sample's favourite mark, from what the studio shows now (so two quick presses both count). */
  toggleFavourite(sampleId: string): Promise<void>
  /** Marks (or unmarks) several samples at once: the selection bar's Favourite. */
  setFavourite(sampleIds: readonly string[], on: boolean): Promise<void>
  /**
   * Deletes softly, with one stamp for all, so one Undo brings them all back: they leave every read at once, and the
   * gateway keeps them for Undo (and purges them some minutes after). `message` is what the Undo toast will say. The
   * deletion names only the samples it deleted: none when they were all deleted already, and then there is no Undo.
   */
  deleteSamples(sampleIds: readonly string[], message: string): Promise<Deletion>
  /** The Undo toast of a deletion: Undo restores exactly that deletion. */
  undoable(deletion: Deletion, focus?: boolean): Undoable
}

export function sampleWrites(client: QueryClient): SampleWrites {
  const restore = async (deletion: Deletion) => {
    const records = taken.get(deletion.deletedAt) ?? []
    taken.delete(deletion.deletedAt)
    const change = changeList(client, withBack(records.filter((s) => deletion.ids.includes(s.id))))
    try {
      const { ids } = await librarySend('POST', '/samples/restore', { ids: deletion.ids, deletedAt: deletion.deletedAt }, restoredSchema)
      const back = new Set(ids)
      const gone = deletion.ids.filter((id) => !back.has(id))
      if (gone.length) {
        client.setQueryData<SampleRecord[]>(LIST, (list) => list && without(new Set(gone))(list))
        reportSampleProblem('Undo came too late: ', new Error(`${plural(gone.length, 'video')} had already been removed for good.`))
      }
      // Brought back after a reload: this tab no longer holds the records, the gateway sends them.
      if (records.length < ids.length) void client.invalidateQueries({ queryKey: LIST, exact: true })
    } catch (e) {
      client.setQueryData<SampleRecord[]>(LIST, (list) => list && without(new Set(deletion.ids))(list))
      reportSampleProblem('Undo did not go through: ', e)
    } finally {
      settle(client, change)
    }
  }

  return {
    toggleFavourite(sampleId) {
      const sample = client.getQueryData<SampleRecord[]>(LIST)?.find((s) => s.id === sampleId)
      const on = sample?.favourite !== 1
      const path = `/samples/${encodeURIComponent(sampleId)}`
      return writeFavourite(client, [sampleId], on, () => librarySend('PATCH', path, { favourite: on }, okSchema))
    },
    setFavourite(sampleIds, on) {
      return writeFavourite(client, sampleIds, on, () =>
        librarySend('POST', '/samples/favourite', { ids: sampleIds, favourite: on }, okSchema),
      )
    },
    async deleteSamples(sampleIds, message) {
      const wanted = new Set(sampleIds)
      const records = (client.getQueryData<SampleRecord[]>(LIST) ?? []).filter((s) => wanted.has(s.id))
      const change = changeList(client, without(wanted))
      try {
        const answer = await librarySend('POST', '/samples/delete', { ids: sampleIds }, deletedSchema)
        // The toast's clock is this browser's: the gateway's stamp only names the deletion.
        const deletion = { ids: answer.ids, deletedAt: answer.deletedAt, until: Date.now() + UNDO_WINDOW_MS, message }
        // None of them deleted now (another tab was first): their own deletion keeps its own Undo.
        if (deletion.ids.length) {
          taken.set(deletion.deletedAt, records)
          holdDeletion(deletion)
        }
        return deletion
      } catch (e) {
        client.setQueryData<SampleRecord[]>(LIST, (list) => list && withBack(records)(list))
        throw e
      } finally {
        settle(client, change)
      }
    },
    undoable(deletion, focus = false) {
      return {
        key: `deleted:${deletion.deletedAt}`,
        message: deletion.message,
        until: deletion.until,
        focus,
        undo: () => {
          forgetDeletion(deletion.deletedAt)
          void restore(deletion)
        },
        // The deletion stands: the gateway purges it once its own grace has passed.
        expire: () => {
          forgetDeletion(deletion.deletedAt)
          taken.delete(deletion.deletedAt)
        },
      }
    },
  }
}

/* One set of writes per cache, shared by every card that shows a Favourite button. */
const bound = new WeakMap<QueryClient, SampleWrites>()

/** The sample writes, bound to the studio's query cache. */
export function useSampleWrites(): SampleWrites {
  const client = useQueryClient()
  let writes = bound.get(client)
  if (!writes) {
    writes = sampleWrites(client)
    bound.set(client, writes)
  }
  return writes
}

/*
 * The last write that did not go through where its own control can no longer say so (a card's favourite, an Undo
 * pressed in a toast that is gone): the gallery shows it until dismissed.
 */
interface Problem {
  lead: string
  error: unknown
}
const useProblemStore = create<{ problem: Problem | undefined }>(() => ({ problem: undefined }))

export const useSampleProblem = () => useProblemStore((s) => s.problem)
export const reportSampleProblem = (lead: string, error: unknown) => useProblemStore.setState({ problem: { lead, error } })
export const dismissSampleProblem = () => useProblemStore.setState({ problem: undefined })

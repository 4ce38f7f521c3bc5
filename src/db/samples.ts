import { useQuery } from '@tanstack/react-query'
import { useCallback } from 'react'
import { libraryQueries } from '../api/library-queries'
import type { SampleRecord } from './db'

/** How long a deleted sample can be brought back with Undo. */
export const UNDO_WINDOW_MS = 10_000

/**
 * Every sample, newest first and a task's samples in their own order (1 of 4 before 2 of 4), leaving out the ones
 * deleted but still undoable; undefined until the first read. One query for the whole studio: a component that needs
 * a few samples selects them from it (useLiveSamples) rather than asking the gateway again.
 */
export function useSamples(): SampleRecord[] | undefined {
  return useQuery(libraryQueries.samples()).data
}

/*
 * The samples by id, made once per list the cache holds: a list is replaced (never changed in place) when anything in
 * it changes, so every reader of one list shares one index.
 */
const indexes = new WeakMap<readonly SampleRecord[], ReadonlyMap<string, SampleRecord>>()

/** The list's samples by id. */
export function samplesById(list: readonly SampleRecord[]): ReadonlyMap<string, SampleRecord> {
  let index = indexes.get(list)
  if (!index) {
    index = new Map(list.map((s) => [s.id, s]))
    indexes.set(list, index)
  }
  return index
}

/** The selected samples that still exist and are not deleted, in the order given; undefined until the first read. */
export function useLiveSamples(sampleIds: readonly string[]): SampleRecord[] | undefined {
  const key = sampleIds.join('\n')
  const select = useCallback(
    (list: SampleRecord[]) => {
      const byId = samplesById(list)
      return sampleIds.flatMap((id) => byId.get(id) ?? [])
    },
    // The ids' content, not the array's identity, decides what is selected.
    // oxlint-disable-next-line react-hooks/exhaustive-deps
    [key],
  )
  return useQuery({ ...libraryQueries.samples(), select }).data
}

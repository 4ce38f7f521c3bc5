import { useLiveQuery } from 'dexie-react-hooks'
import type { Undoable } from '../lib/undo-store'
import { db, type SampleRecord } from './db'
import { storageWasFull } from './storage'
import { retryHeldWrites } from './videos'

/** How long a deleted sample can be brought back with Undo. */
export const UNDO_WINDOW_MS = 10_000

/**
 * A start purges only deletions older than the window and this grace: another tab may still hold the toast of a
 * younger one (its clock pauses while the pointer or focus is on it), and Undo there must still work.
 */
export const PURGE_GRACE_MS = 5 * 60_000

/**
 * Every sample, newest first and a task's samples in their own order (1 of 4 before 2 of 4), live, leaving out the
 * ones deleted but still undoable; undefined until the first read.
 */
export function useSamples(): SampleRecord[] | undefined {
  return useLiveQuery(async () => {
    const samples = await db.samples
      .orderBy('createdAt')
      .reverse()
      .filter((s) => s.deletedAt === undefined)
      .toArray()
    // A task's samples share their createdAt; the sort is stable, so only ties are reordered.
    return samples.sort((a, b) => b.createdAt - a.createdAt || a.index - b.index)
  }, [])
}

/** Flips a sample's favourite mark, reading the stored mark in the same transaction so two quick presses both count. */
export async function toggleFavourite(sampleId: string): Promise<void> {
  await db.transaction('rw', db.samples, async () => {
    const sample = await db.samples.get(sampleId)
    if (sample) await db.samples.update(sampleId, { favourite: sample.favourite ? 0 : 1 })
  })
}

/** Marks (or unmarks) several samples as favourites at once: the selection bar's Favourite. */
export async function setFavourite(sampleIds: readonly string[], on: boolean): Promise<void> {
  await db.samples
    .where('id')
    .anyOf(sampleIds)
    .modify({ favourite: on ? 1 : 0 })
}

/**
 * Deletes a sample softly: it leaves every read at once, but its row, video, poster and favourite stay, so Undo
 * (or a reload within the window) can bring it back whole. `purgeSample` removes it for good.
 */
export async function deleteSample(sampleId: string, now = Date.now()): Promise<void> {
  await db.samples.update(sampleId, { deletedAt: now })
}

/** Undo: the sample comes back as it was. */
export async function restoreSample(sampleId: string): Promise<void> {
  await db.samples.update(sampleId, { deletedAt: undefined })
}

/**
 * Deletes several samples softly, in one transaction and with one stamp, so one Undo (`restoreSamples`) brings them
 * all back and one purge (`purgeSamples`) removes them together. Samples already deleted keep their own stamp (and
 * their own toast). Returns the stamp.
 */
export async function deleteSamples(sampleIds: readonly string[], now = Date.now()): Promise<number> {
  await db.transaction('rw', db.samples, async () => {
    await db.samples
      .where('id')
      .anyOf(sampleIds)
      .filter((s) => s.deletedAt === undefined)
      .modify({ deletedAt: now })
  })
  return now
}

/** Undo of a bulk delete: only the samples still deleted by that stamp come back (not one deleted again since). */
export async function restoreSamples(sampleIds: readonly string[], deletedAt: number): Promise<void> {
  await db.transaction('rw', db.samples, async () => {
    await db.samples
      .where('id')
      .anyOf(sampleIds)
      .filter((s) => s.deletedAt === deletedAt)
      .modify((s) => {
        delete s.deletedAt
      })
  })
}

/**
 * Removes a deleted sample and its stored video together, so no video is left without its sample. Only the deletion
 * made at `deletedAt`: a sample restored meanwhile, or deleted again since (from another tab), is left alone.
 */
export async function purgeSample(sampleId: string, deletedAt: number): Promise<void> {
  await purgeSamples([sampleId], deletedAt)
}

/** `purgeSample` for a bulk delete: the samples still deleted by that stamp go for good, with their videos. */
export async function purgeSamples(sampleIds: readonly string[], deletedAt: number): Promise<void> {
  await db.transaction('rw', db.samples, db.videos, async () => {
    const gone = (await db.samples.bulkGet([...sampleIds])).filter((s) => s?.deletedAt === deletedAt).map((s) => s!.id)
    await Promise.all([db.samples.bulkDelete(gone), db.videos.bulkDelete(gone)])
  })
  // Space was freed: what a full disk held back is tried again now, not at the next 30 s tick.
  if (storageWasFull()) void retryHeldWrites()
}

/** The selected samples that still exist and are not deleted, in the order given, live; undefined until the first read. */
export function useLiveSamples(sampleIds: readonly string[]): SampleRecord[] | undefined {
  const key = sampleIds.join('\n')
  const read = useLiveQuery(
    async () => ({
      key,
      samples: (await db.samples.bulkGet([...sampleIds])).filter((s): s is SampleRecord => s !== undefined && s.deletedAt === undefined),
    }),
    // The ids' content, not the array's identity, decides when to read again.
    // oxlint-disable-next-line react-hooks/exhaustive-deps
    [key],
  )
  // Until the read of these very ids answers, the last read (of other ids) would mislead: a just-ticked sample
  // would look deleted.
  return read?.key === key ? read.samples : undefined
}

/**
 * At start: purges the samples whose undo window has long passed (the studio was closed during it) and returns the
 * ones still undoable, newest deletion first, so their Undo can be offered again for the time left. Deletions just
 * past their window are left to the tab that may still show their toast (PURGE_GRACE_MS), and purged at a later start.
 */
export async function purgeExpiredDeletions(now = Date.now()): Promise<SampleRecord[]> {
  return db.transaction('rw', db.samples, db.videos, async () => {
    const deleted = await db.samples.filter((s) => s.deletedAt !== undefined).toArray()
    const expired = deleted.filter((s) => s.deletedAt! + UNDO_WINDOW_MS + PURGE_GRACE_MS <= now).map((s) => s.id)
    await Promise.all([db.samples.bulkDelete(expired), db.videos.bulkDelete(expired)])
    return deleted.filter((s) => s.deletedAt! + UNDO_WINDOW_MS > now).sort((a, b) => b.deletedAt! - a.deletedAt!)
  })
}

/** The stored videos of these samples, by sample id (a sample not stored yet is missing): for a download. */
export async function storedVideos(sampleIds: readonly string[]): Promise<Map<string, Blob>> {
  const videos = await db.videos.bulkGet([...sampleIds])
  return new Map(videos.filter((v) => v !== undefined).map((v) => [v.sampleId, v.blob]))
}

/**
 * The Undo a deletion offers (one toast per stamp, so a bulk delete is one toast, also when offered again after a
 * reload): Undo restores exactly that deletion, and the toast's end purges exactly that deletion.
 */
export function undoDeletion(sampleIds: readonly string[], deletedAt: number, message: string, focus = false): Undoable {
  return {
    key: `deleted:${deletedAt}`,
    message,
    until: deletedAt + UNDO_WINDOW_MS,
    focus,
    undo: () => void restoreSamples(sampleIds, deletedAt),
    expire: () => void purgeSamples(sampleIds, deletedAt),
  }
}

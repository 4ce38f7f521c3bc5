import { useLiveQuery } from 'dexie-react-hooks'
import { useSyncExternalStore } from 'react'
import { db, type SampleRecord } from './db'

/*
 * Space: when the browser's quota refuses a write, what was not kept, and what takes the space. The writes that can
 * fill the disk (a video copy, a frame, a task record) say here what they could not keep, so one banner can tell the
 * designer and point at the way out.
 */

/** The storeError of a video copy the quota refused: the card and the banner know it by this. */
export const STORE_FULL = 'Storage is full: not kept on this device yet.'

/**
 * Whether a failed write was refused for space. Dexie wraps the browser's error (an aborted transaction carries it
 * as `inner`), and old browsers give a DOMException with code 22 instead of the name.
 */
export function isQuotaError(e: unknown): boolean {
  for (let err = e as { name?: unknown; code?: unknown; inner?: unknown; cause?: unknown } | null, depth = 0; err && depth < 5; depth++) {
    if (typeof err !== 'object') return false
    if (err.name === 'QuotaExceededError' || (err.name !== 'AbortError' && err.code === 22)) return true
    err = (err.inner ?? err.cause) as typeof err
  }
  return false
}

/* What this session could not keep for space, also when even the note of it could not be written. */
const fullIds = new Set<string>()
/** Bytes of the copy the quota last refused, by sample: the next try waits until that much is free. */
const refusedBytes = new Map<string, number>()
let heldTasks = 0
let version = 0
const listeners = new Set<() => void>()
const changed = () => {
  version += 1
  for (const l of listeners) l()
}
const subscribe = (l: () => void) => (listeners.add(l), () => void listeners.delete(l))

export function noteCopyRefused(sampleId: string, bytes: number): void {
  fullIds.add(sampleId)
  refusedBytes.set(sampleId, bytes)
  changed()
}

export function noteCopyKept(sampleId: string): void {
  refusedBytes.delete(sampleId)
  if (fullIds.delete(sampleId)) changed()
}

/** How many task records wait outside IndexedDB for space (tasks.ts keeps them aside). */
export function noteHeldTasks(count: number): void {
  if (count === heldTasks) return
  heldTasks = count
  changed()
}

/** Whether this session met a full disk that is not over yet: freeing space should then retry what was held. */
export const storageWasFull = () => fullIds.size > 0 || heldTasks > 0

/**
 * Whether a copy the quota refused before may fit now: asked before fetching it again, so a full disk does not mean
 * downloading every refused video each 30 s for nothing. True when the browser does not say.
 */
export async function mayFit(sampleId: string): Promise<boolean> {
  const bytes = refusedBytes.get(sampleId)
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage
  if (bytes === undefined || !storage?.estimate) return true
  try {
    const { usage = 0, quota = Number.POSITIVE_INFINITY } = await storage.estimate()
    return quota - usage > bytes
  } catch {
    return true
  }
}

export interface StorageFull {
  /** Videos not kept on this device for space, still playing from the provider. */
  videos: number
  /** When the first of their provider URLs expires (ms since epoch). */
  until: number | undefined
  /** Task records kept aside until there is space (their task ids are safe). */
  tasks: number
}

/** What the quota has refused and is not kept yet, live; undefined while nothing is. */
export function useStorageFull(): StorageFull | undefined {
  const v = useSyncExternalStore(
    subscribe,
    () => version,
    () => version,
  )
  return useLiveQuery(async () => {
    const now = Date.now()
    const noted = (await db.samples.bulkGet([...fullIds])).filter((s): s is SampleRecord => s !== undefined)
    const byId = new Map(noted.map((s) => [s.id, s]))
    await db.samples.filter((s) => s.storeError === STORE_FULL).each((s) => void byId.set(s.id, s))
    const waiting = [...byId.values()].filter((s) => !s.stored && s.deletedAt === undefined && s.urlExpiresAt > now)
    if (!waiting.length && !heldTasks) return undefined
    return {
      videos: waiting.length,
      until: waiting.length ? Math.min(...waiting.map((s) => s.urlExpiresAt)) : undefined,
      tasks: heldTasks,
    }
  }, [v])
}

/** Where the space goes: counts and bytes of the stored videos (with their posters) and frames. */
export interface SpaceUse {
  videos: { count: number; bytes: number }
  frames: { count: number; bytes: number }
  /** Stored copies that may be dropped now (see `droppable`): how many, their bytes, the first URL's end and the first fetch back. */
  droppable: { count: number; bytes: number; until: number | undefined; refetchFrom: number | undefined }
  /** Samples whose copy was dropped and is not back yet, oldest URL first. */
  offloaded: SampleRecord[]
}

/**
 * The moment a dropped copy is fetched back on its own: half-way through its URL's life. Until then the video plays
 * from the provider; from then the studio copies it back at its next chance, with half the lifetime left for that.
 */
export const refetchAt = (s: Pick<SampleRecord, 'createdAt' | 'urlExpiresAt'>) => s.createdAt + (s.urlExpiresAt - s.createdAt) / 2

/**
 * A stored copy that can be fetched again, so dropping it loses nothing: its URL is in the first half of its life,
 * it is not a favourite (the designer said it matters), and it is not deleted (Undo brings its copy back).
 */
export const droppable = (s: SampleRecord, now: number) =>
  s.stored && s.deletedAt === undefined && s.favourite === 0 && now < refetchAt(s) && s.urlExpiresAt > now

export function useSpaceUse(): SpaceUse | undefined {
  return useLiveQuery(
    () =>
      db.transaction('r', db.samples, db.videos, db.frames, async () => {
        const now = Date.now()
        const videoBytes = new Map<string, number>()
        await db.videos.each((v) => void videoBytes.set(v.sampleId, v.blob.size + (v.poster?.size ?? 0)))
        let frameCount = 0
        let frameBytes = 0
        await db.frames.each((f) => {
          frameCount += 1
          frameBytes += f.blob.size + (f.thumb?.size ?? 0)
        })
        const samples = await db.samples.toArray()
        const drop = samples.filter((s) => droppable(s, now) && videoBytes.has(s.id))
        return {
          videos: { count: videoBytes.size, bytes: sum(videoBytes.values()) },
          frames: { count: frameCount, bytes: frameBytes },
          droppable: {
            count: drop.length,
            bytes: sum(drop.map((s) => videoBytes.get(s.id) ?? 0)),
            until: drop.length ? Math.min(...drop.map((s) => s.urlExpiresAt)) : undefined,
            refetchFrom: drop.length ? Math.min(...drop.map(refetchAt)) : undefined,
          },
          offloaded: samples
            .filter((s) => s.offloadedAt !== undefined && !s.stored && s.deletedAt === undefined && s.urlExpiresAt > now)
            .sort((a, b) => a.urlExpiresAt - b.urlExpiresAt),
        }
      }),
    [],
  )
}

const sum = (values: Iterable<number>) => {
  let total = 0
  for (const v of values) total += v
  return total
}

/**
 * Drop stored copies: removes the copies that can be fetched again (`droppable`, judged inside the transaction) and
 * marks their samples offloaded, so the background copy leaves them alone until `refetchAt`. One transaction: no
 * sample says "stored" without its copy. Returns how many went and their bytes.
 */
export async function dropStoredCopies(now = Date.now()): Promise<{ count: number; bytes: number }> {
  return db.transaction('rw', db.samples, db.videos, async () => {
    const samples = (await db.samples.toArray()).filter((s) => droppable(s, now))
    const videos = (await db.videos.bulkGet(samples.map((s) => s.id))).filter((v) => v !== undefined)
    const ids = videos.map((v) => v.sampleId)
    await db.videos.bulkDelete(ids)
    await db.samples.where('id').anyOf(ids).modify({ stored: false, offloadedAt: now, storeError: undefined })
    return { count: ids.length, bytes: sum(videos.map((v) => v.blob.size + (v.poster?.size ?? 0))) }
  })
}

/** What a card says of a copy not on this device (undefined: nothing to say beyond "Saving…"). */
export function storeNote(
  s: Pick<SampleRecord, 'stored' | 'storeError' | 'offloadedAt' | 'createdAt' | 'urlExpiresAt'>,
): string | undefined {
  if (s.stored) return undefined
  if (s.storeError === STORE_FULL) return 'Storage full: not kept yet'
  if (s.offloadedAt !== undefined) return `Not on this device: kept again from ${clock(refetchAt(s))}`
  return undefined
}

const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' })

/** "14:05" today, "Tue 14:05" on another day: the provider's URLs live hours, not weeks. */
export function clock(at: number, now = Date.now()): string {
  return new Date(at).toDateString() === new Date(now).toDateString() ? clockFormat.format(at) : dayFormat.format(at)
}

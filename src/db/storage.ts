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

/** `bytes` 0: refused before fetching (mayFit said no), so the size learnt last time stands. */
export function noteCopyRefused(sampleId: string, bytes: number): void {
  fullIds.add(sampleId)
  if (bytes > 0) refusedBytes.set(sampleId, bytes)
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

/**
 * The moment a dropped copy is fetched back on its own: half-way through its URL's life. Until then the video plays
 * from the provider; from then the studio copies it back at its next chance, with half the lifetime left for that.
 */
export const refetchAt = (s: Pick<SampleRecord, 'createdAt' | 'urlExpiresAt'>) => s.createdAt + (s.urlExpiresAt - s.createdAt) / 2

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

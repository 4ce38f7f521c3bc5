import { useLiveQuery } from 'dexie-react-hooks'
import { db, type SampleRecord } from './db'
import { refetchAt } from './storage'

/*
 * Settings › Storage › Free space: what takes the space, and dropping the stored copies that can be fetched again.
 * Apart from storage.ts so that it loads with Settings, not with the first paint.
 */

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

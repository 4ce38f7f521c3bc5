import { useEffect, useState } from 'react'
import { db } from './db'

/**
 * One video of a comparison, as this device holds it: its stored copy still being read, read (its object URL), or not
 * kept here. "Reading" is its own state so that a view never says a video is missing while its copy is on its way.
 */
export type StoredVideo = { state: 'reading' } | { state: 'stored'; url: string } | { state: 'missing' }

const READING: StoredVideo = { state: 'reading' }
const MISSING: StoredVideo = { state: 'missing' }

/**
 * The stored copies of several samples' videos, in the order given: one read for a comparison, whose number of videos
 * would otherwise mean a changing number of hooks. Provider URLs are never used: what is compared, measured and saved
 * must be the copy on this device. A sample not marked stored is missing at once (there is nothing to read); a copy
 * that cannot be read counts as missing too, rather than reading forever. The URLs are revoked when the samples change
 * or the view goes.
 */
export function useStoredVideos(samples: readonly { id: string; stored: boolean }[]): readonly StoredVideo[] {
  const key = samples.map((s) => `${s.id}:${s.stored}`).join('\n')
  const [read, setRead] = useState<{ key: string; videos: StoredVideo[] }>()
  useEffect(() => {
    let cancelled = false
    const made: string[] = []
    const readOne = (s: { id: string; stored: boolean }) =>
      s.stored ? db.videos.get(s.id).catch(() => undefined) : Promise.resolve(undefined)
    void Promise.all(samples.map(readOne)).then((records) => {
      if (cancelled) return
      const videos = records.map((r): StoredVideo => {
        if (!r) return MISSING
        const url = URL.createObjectURL(r.blob)
        made.push(url)
        return { state: 'stored', url }
      })
      setRead({ key, videos })
    })
    return () => {
      cancelled = true
      for (const url of made) URL.revokeObjectURL(url)
    }
    // `key` names the samples and whether each is stored.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  if (read?.key === key) return read.videos
  return samples.map((s) => (s.stored ? READING : MISSING))
}

import { useEffect, useState } from 'react'
import { db, type SampleRecord } from './db'

export interface StoredMedia {
  /** Where the video plays from (and downloads): the stored copy, else the provider's URL while it lives. */
  src: string | undefined
  /** The stored poster, once read; undefined while reading, or when the sample has none. */
  poster: string | undefined
  /** Whether a poster may still come: the stored copy is not read yet. At rest, a card waits for it (black). */
  posterPending: boolean
}

/**
 * A sample's media for a gallery card or a board cell: the stored video and poster read together, in one IndexedDB
 * read and one render (as useSampleSrc and useStoredPosterUrl would, in two of each), with word of when that read is
 * done, so that a preview at rest never mounts a `<video>` to stand in for a poster that is on its way. The URLs are
 * revoked when the preview goes.
 */
export function useStoredMedia(sample: Pick<SampleRecord, 'id' | 'stored' | 'urlExpiresAt' | 'videoUrl'>): StoredMedia {
  const { id, stored } = sample
  const [read, setRead] = useState<{ id: string; video?: string | undefined; poster?: string | undefined }>()
  // As useSampleSrc: whether the provider's URL lives is read once, so a card does not flip to "expired" while it plays.
  const [urlLive] = useState(() => sample.urlExpiresAt > Date.now())
  useEffect(() => {
    if (!stored) return
    let cancelled = false
    const urls: string[] = []
    const urlOf = (blob: Blob | undefined) => {
      if (!blob) return undefined
      const url = URL.createObjectURL(blob)
      urls.push(url)
      return url
    }
    void db.videos.get(id).then(
      (record) => !cancelled && setRead({ id, video: urlOf(record?.blob), poster: urlOf(record?.poster) }),
      () => !cancelled && setRead({ id }),
    )
    return () => {
      cancelled = true
      for (const url of urls) URL.revokeObjectURL(url)
      setRead(undefined)
    }
  }, [id, stored])
  const mine = stored && read?.id === id ? read : undefined
  return {
    src: mine?.video ?? (urlLive ? sample.videoUrl : undefined),
    poster: mine?.poster,
    posterPending: stored && !mine,
  }
}

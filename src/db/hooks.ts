import { useEffect, useState } from 'react'
import { db, type FrameRef } from './db'

/** An object URL for a blob read from storage, revoked when the component lets go of it. */
function useStoredBlobUrl(load: (() => Promise<Blob | undefined>) | undefined, key: string | undefined): string | undefined {
  const [url, setUrl] = useState<string>()
  useEffect(() => {
    if (!load) return setUrl(undefined)
    let objectUrl: string | undefined
    let cancelled = false
    void load().then((blob) => {
      if (cancelled || !blob) return
      objectUrl = URL.createObjectURL(blob)
      setUrl(objectUrl)
    })
    return () => {
      cancelled = true
      if (objectUrl) URL.revokeObjectURL(objectUrl)
      setUrl(undefined)
    }
    // `key` names the blob; `load` is a fresh closure every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  return url
}

/** Where to show a frame: its stored thumbnail (or bytes, when there is none), or its URL. */
export function useFrameSrc(ref: FrameRef | undefined): string | undefined {
  const stored = ref?.kind === 'stored' ? ref.hash : undefined
  const url = useStoredBlobUrl(
    stored
      ? async () => {
          const record = await db.frames.get(stored)
          return record?.thumb ?? record?.blob
        }
      : undefined,
    stored,
  )
  return ref?.kind === 'url' ? ref.url : url
}

/** The stored poster of a sample, once its video has been kept (and the browser could make one). */
export function useStoredPosterUrl(sampleId: string, stored: boolean): string | undefined {
  return useStoredBlobUrl(
    stored ? async () => (await db.videos.get(sampleId))?.poster : undefined,
    stored ? `${sampleId}:poster` : undefined,
  )
}

/** The stored copy of a sample's video, once it has been kept. */
export function useStoredVideoUrl(sampleId: string, stored: boolean): string | undefined {
  return useStoredBlobUrl(stored ? async () => (await db.videos.get(sampleId))?.blob : undefined, stored ? sampleId : undefined)
}

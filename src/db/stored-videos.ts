import { useEffect, useState } from 'react'
import { db } from './db'

/**
 * The stored copies of several samples' videos, in the order given (undefined where one is not kept): one read for a
 * comparison, whose number of videos would otherwise mean a changing number of hooks. Provider URLs are never used:
 * what is compared, measured and saved must be the copy on this device. Undefined until read.
 */
export function useStoredVideoUrls(samples: readonly { id: string; stored: boolean }[]): (string | undefined)[] | undefined {
  const key = samples.map((s) => `${s.id}:${s.stored}`).join('\n')
  const [urls, setUrls] = useState<{ key: string; urls: (string | undefined)[] }>()
  useEffect(() => {
    let cancelled = false
    const made: string[] = []
    void Promise.all(samples.map((s) => (s.stored ? db.videos.get(s.id) : undefined))).then((records) => {
      if (cancelled) return
      const next = records.map((r) => {
        if (!r) return undefined
        const url = URL.createObjectURL(r.blob)
        made.push(url)
        return url
      })
      setUrls({ key, urls: next })
    })
    return () => {
      cancelled = true
      for (const url of made) URL.revokeObjectURL(url)
    }
    // `key` names the samples and whether each is stored.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  return urls?.key === key ? urls.urls : undefined
}

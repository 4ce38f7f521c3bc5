import { useState } from 'react'
import type { SampleRecord } from './db'
import { useStoredVideoUrl } from './hooks'

/**
 * Where a sample's video plays from: the stored copy; until it is stored, the provider's URL while it lives (the copy
 * is made within seconds of the task finishing). Whether the URL lives is read once, so a card does not flip to
 * "expired" while it plays.
 */
export function useSampleSrc(sample: Pick<SampleRecord, 'id' | 'stored' | 'urlExpiresAt' | 'videoUrl'>): string | undefined {
  const stored = useStoredVideoUrl(sample.id, sample.stored)
  const [urlLive] = useState(() => sample.urlExpiresAt > Date.now())
  if (stored) return stored
  return urlLive ? sample.videoUrl : undefined
}

import { useState } from 'react'
import type { SampleRecord } from '../../db/db'
import { useStoredVideoUrl } from '../../db/hooks'
import { slug } from '../../lib/format'

/** Plays the stored copy; until it is stored, the provider's URL while it lives. */
export function useSampleSrc(sample: SampleRecord): string | undefined {
  const stored = useStoredVideoUrl(sample.id, sample.stored)
  const [urlLive] = useState(() => sample.urlExpiresAt > Date.now())
  if (stored) return stored
  return urlLive ? sample.videoUrl : undefined
}

/** "slow-zoom-in-seed-42.mp4" (a sample index is added when several share a seed). */
export function downloadName(sample: SampleRecord): string {
  const prompt = slug(String(sample.request.params.prompt ?? ''))
  const seed = sample.seed === undefined ? '' : `-seed-${sample.seed}`
  const index = sample.index > 0 ? `-${sample.index + 1}` : ''
  return `${prompt}${seed}${index}.mp4`
}

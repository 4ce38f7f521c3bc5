import { useMemo } from 'react'
import { libraryFileUrl } from '../api/library-client'
import type { SampleRecord } from './db'

/**
 * One video of a comparison: the library's copy, or not kept there. A provider's link is never used: what is compared,
 * measured and saved must be the kept copy (a canvas drawn from another origin's video cannot be read).
 */
export type StoredVideo = { state: 'stored'; url: string } | { state: 'missing' }

const MISSING: StoredVideo = { state: 'missing' }

export function storedVideoOf(sample: Pick<SampleRecord, 'videoSha256'>): StoredVideo {
  return sample.videoSha256 ? { state: 'stored', url: libraryFileUrl(sample.videoSha256) } : MISSING
}

/** The kept copies of several samples' videos, in the order given; the same array while the samples' copies are. */
export function useStoredVideos(samples: readonly Pick<SampleRecord, 'id' | 'videoSha256'>[]): readonly StoredVideo[] {
  const key = samples.map((s) => `${s.id}:${s.videoSha256 ?? ''}`).join('\n')
  // `key` names the samples and their copies; the array is fresh each render.
  // oxlint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => samples.map(storedVideoOf), [key])
}

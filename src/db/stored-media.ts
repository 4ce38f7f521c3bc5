import { useState } from 'react'
import { libraryFileUrl } from '../api/library-client'
import { videoFetchUrl } from '../api/gateway-urls'
import type { SampleRecord } from './db'

export type MediaSample = Pick<
  SampleRecord,
  'provider' | 'stored' | 'urlExpiresAt' | 'videoUrl' | 'videoSha256' | 'posterSha256' | 'storeError'
>

export interface StoredMedia {
  /** Where the video plays from (and downloads): the library's copy, else the provider's link while it lives. */
  src: string | undefined
  /** The library's still of it, for a preview at rest; undefined when there is none (yet). */
  poster: string | undefined
  /** What a preview says of a video the library does not hold yet: why its copy failed, when it did. */
  note: string | undefined
}

/** Where a sample's video plays from: the library's copy; until it is kept there, the provider's link while it lives. */
export function sampleVideoUrl(sample: MediaSample, linkLives: boolean): string | undefined {
  if (sample.videoSha256) return libraryFileUrl(sample.videoSha256)
  // The local engine serves its files from our origin; a provider's CDN goes through the gateway's relay.
  return linkLives ? videoFetchUrl(sample.provider, sample.videoUrl) : undefined
}

/**
 * A sample's media for a gallery card, the player or a board cell: addresses on the gateway, known at once (no read
 * to wait for), which the browser caches for good since a kept file never changes. Whether the provider's link lives
 * is judged once, so a card does not flip to "expired" while it plays.
 */
export function useStoredMedia(sample: MediaSample): StoredMedia {
  const [linkLives] = useState(() => sample.urlExpiresAt > Date.now())
  return {
    src: sampleVideoUrl(sample, linkLives),
    poster: sample.posterSha256 ? libraryFileUrl(sample.posterSha256) : undefined,
    note: sample.videoSha256 ? undefined : sample.storeError,
  }
}

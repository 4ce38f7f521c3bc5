import { libraryFileUrl } from '../api/library-client'
import type { FrameRef } from './db'

/** Where to show a frame: the library's copy of a stored frame (by its hash, cached for good), or its URL. */
export function useFrameSrc(ref: FrameRef | undefined): string | undefined {
  if (ref?.kind === 'stored') return libraryFileUrl(ref.hash)
  return ref?.url
}

import { libraryFileUrl } from '../api/library-client'
import type { SampleRecord } from './db'

/** A file the library keeps, by its SHA-256; undefined when the gateway no longer has it. */
async function libraryFile(sha256: string): Promise<Blob | undefined> {
  const response = await fetch(new URL(libraryFileUrl(sha256), globalThis.location.href))
  if (response.status === 404) return undefined
  if (!response.ok) throw new Error(`The gateway answered ${response.status} for a kept file. Try again in a moment.`)
  return response.blob()
}

/** A stored frame's original bytes (not its thumbnail), for measuring a video against it; undefined when gone. */
export function storedFrameBlob(hash: string): Promise<Blob | undefined> {
  return libraryFile(hash)
}

/** A sample's kept video (for a download); undefined when the library does not hold it. */
export async function storedVideoBlob(sample: Pick<SampleRecord, 'videoSha256'>): Promise<Blob | undefined> {
  return sample.videoSha256 ? libraryFile(sample.videoSha256) : undefined
}

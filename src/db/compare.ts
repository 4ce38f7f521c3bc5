import { db } from './db'

/**
 * A stored frame's original bytes (not its thumbnail), for measuring a video against it; undefined when the frame
 * is no longer on this device.
 */
export async function storedFrameBlob(hash: string): Promise<Blob | undefined> {
  return (await db.frames.get(hash))?.blob
}

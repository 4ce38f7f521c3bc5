import { db } from './db'

/**
 * A stored frame's original bytes (not its thumbnail), for measuring a video against it; undefined when the frame
 * is no longer on this device.
 */
export async function storedFrameBlob(hash: string): Promise<Blob | undefined> {
  return (await db.frames.get(hash))?.blob
}

/**
 * A sample's stored video, for measuring it: read here rather than through the comparison's object URL, which the view
 * revokes when it closes while a measurement may still be waiting its turn.
 */
export async function storedVideoBlob(sampleId: string): Promise<Blob | undefined> {
  return (await db.videos.get(sampleId))?.blob
}

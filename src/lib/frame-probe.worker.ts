/*
 * Opens a dropped frame off the main thread: decoding a 20 MB PNG (80 MB of pixels), hashing its bytes and drawing
 * its thumbnail each take long enough to freeze the page on a slower machine. One call a frame, answered once.
 */
import { expose } from 'comlink'
import { blobToBase64 } from './bytes'
import { THUMB_WIDTH, thumbSize, type FrameWants, type OpenedFrame } from './frame-probe'

async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer())
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

async function thumbnail(bitmap: ImageBitmap): Promise<Blob | undefined> {
  const { width, height } = thumbSize(bitmap.width, bitmap.height, THUMB_WIDTH)
  const canvas = new OffscreenCanvas(width, height)
  const ctx = canvas.getContext('2d')
  if (!ctx) return undefined
  ctx.drawImage(bitmap, 0, 0, width, height)
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 })
}

const api = {
  /** The bytes as base64, for a request body: megabytes of string building kept off the page. */
  base64: (blob: Blob): Promise<string> => blobToBase64(blob),
  /**
   * Decodes once for the size and (when wanted) the thumbnail; hashes the bytes meanwhile when wanted. Undecodable
   * is an answer, not a throw.
   */
  async open(file: Blob, want: FrameWants): Promise<OpenedFrame> {
    const hashing = want.hash ? sha256Hex(file) : Promise.resolve(undefined)
    let bitmap: ImageBitmap
    try {
      bitmap = await createImageBitmap(file)
    } catch {
      await hashing.catch(() => {})
      return { ok: false }
    }
    try {
      // A thumbnail is a nicety: a frame whose thumbnail fails is still kept, shown by itself.
      const thumb = want.thumb ? await thumbnail(bitmap).catch(() => undefined) : undefined
      return { ok: true, width: bitmap.width, height: bitmap.height, hash: await hashing, thumb }
    } finally {
      bitmap.close()
    }
  },
}

export type FrameProbeWorker = typeof api

expose(api)

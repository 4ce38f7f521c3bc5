import { openFrame } from '../lib/image'
import { db, type FrameRef } from './db'
import { isQuotaError } from './storage'

export const FRAME_NOT_KEPT = 'Storage is full: this frame was not kept. Free space in Settings › Storage.'

/**
 * Checks a dropped, pasted or browsed file and keeps it by content, so a frame survives a reload and a
 * frame used by many tasks is stored once. Throws a FrameProblem whose message names the frame and the fix.
 */
export async function keepFrame(file: Blob, label: string, name = (file as File).name ?? 'frame'): Promise<FrameRef & { kind: 'stored' }> {
  // Checked, hashed and thumbnailed in a Worker from one decode (openFrame), so a 20 MB frame never freezes the page.
  const { hash, thumb, ...probed } = await openFrame(file, label)
  if (!(await db.frames.get(hash))) {
    try {
      await db.frames.put({ hash, blob: file, ...probed, name, addedAt: Date.now(), thumb })
    } catch (e) {
      // The zone shows this message as the frame's problem: what happened, and the way out.
      if (isQuotaError(e)) throw new Error(FRAME_NOT_KEPT, { cause: e })
      throw e
    }
  }
  return { kind: 'stored', hash, ...probed, name }
}

export async function frameBlob(hash: string): Promise<Blob> {
  const record = await db.frames.get(hash)
  if (!record) throw new Error('A frame of this request is no longer stored on this device. Add it again.')
  return record.blob
}

import { describeError, isApiError } from '../api/errors'
import { libraryFile, libraryGet, librarySend } from '../api/library-client'
import { frameSchema } from '../api/library-schemas'
import { openFrame, type FrameMime } from '../lib/image'
import type { FrameRef } from './db'

/*
 * Frames live in the gateway's library, by the SHA-256 of their bytes: a frame dropped into Compose is put there at
 * once (so a reload, another browser or the runner finds it), and so is each frame as it is sent (cropped and scaled),
 * which a request's body names by hash instead of carrying its base64.
 */

export const FRAME_NOT_KEPT = "The gateway's disk is full: this frame was not kept. Free space in Settings › Storage."

/** A frame can be 20 MB: give a slow uplink time, as a submit did. */
const UPLOAD_TIMEOUT_MS = 180_000
/** The gateway keeps a frame's name up to this length. */
const NAME_MAX = 255

export interface FrameFacts {
  mime: FrameMime
  width: number
  height: number
  name: string
}

/** Frames this tab knows the library holds (or is putting there), by hash: each is sent once, however many use it. */
const held = new Map<string, Promise<void>>()

const NOT_IN_LIBRARY = 'A frame of this request is no longer in the library. Add it again.'

/** Memoized per hash while it succeeds: a failure is not kept, so the next try asks again. */
function once(hash: string, work: () => Promise<void>): Promise<void> {
  const known = held.get(hash)
  if (known) return known
  const working = work()
  held.set(hash, working)
  working.catch(() => held.delete(hash))
  return working
}

/** Whether the library holds a frame: false on a 404; any other failure is thrown. */
async function libraryHolds(hash: string): Promise<boolean> {
  try {
    await libraryGet(`/frames/${hash}`, frameSchema)
    return true
  } catch (e) {
    if (isApiError(e) && e.status === 404) return false
    throw e
  }
}

/**
 * Puts a frame's bytes in the library under their SHA-256, unless it holds them already (asked first: a 20 MB frame
 * dropped again, or after a reload, is not sent again).
 */
export function putFrame(hash: string, bytes: Blob, facts: FrameFacts): Promise<void> {
  return once(hash, async () => {
    if (await libraryHolds(hash)) return
    const query = new URLSearchParams({ width: String(facts.width), height: String(facts.height), name: facts.name.slice(0, NAME_MAX) })
    await librarySend('PUT', `/frames/${hash}?${query}`, new Blob([bytes], { type: facts.mime }), frameSchema, {
      timeoutMs: UPLOAD_TIMEOUT_MS,
    })
  })
}

/** Resolves once the library is known to hold a stored frame; rejects, in words, when it no longer does. */
export function frameHeld(hash: string): Promise<void> {
  return once(hash, async () => {
    if (!(await libraryHolds(hash))) throw new Error(NOT_IN_LIBRARY)
  })
}

/** Why a frame was not kept, in the zone's words: the gateway's own sentence, or what kept it from answering. */
function notKept(label: string, e: unknown): string {
  if (isApiError(e) && e.status === 507) return FRAME_NOT_KEPT
  const message = isApiError(e) && e.kind === 'http' ? e.message : describeError(e).message
  return `${label} was not kept. ${message}`
}

/**
 * Checks a dropped, pasted or browsed file and keeps it in the library by content, so a frame survives a reload and a
 * frame used by many tasks is stored once. Throws an Error whose message names the frame and the fix.
 */
export async function keepFrame(file: Blob, label: string, given?: string): Promise<FrameRef & { kind: 'stored' }> {
  // A pasted image has no file name (or an empty one): the library keeps it as "frame".
  const name = given || (file as File).name || 'frame'
  // Checked and hashed in a Worker from one decode (openFrame), so a 20 MB frame never freezes the page.
  const { hash, mime, width, height, bytes } = await openFrame(file, label)
  try {
    await putFrame(hash, file, { mime, width, height, name })
  } catch (e) {
    throw new Error(notKept(label, e), { cause: e })
  }
  return { kind: 'stored', hash, mime, width, height, bytes, name }
}

/** A stored frame's bytes, read back from the library (to crop and send it). */
export async function frameBlob(hash: string): Promise<Blob> {
  try {
    return await libraryFile(hash)
  } catch (e) {
    if (isApiError(e) && e.status === 404)
      throw new Error('A frame of this request is no longer in the library. Add it again.', { cause: e })
    // A fetch that found no gateway throws the browser's own error, which is no sentence for a designer.
    const why = isApiError(e)
      ? describeError(e).message
      : "The studio can't reach its gateway. Check that it is still running, then try again."
    throw new Error(`A frame of this request could not be read. ${why}`, { cause: e })
  }
}

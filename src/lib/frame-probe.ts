/*
 * The page's side of frame-probe.worker: loaded on demand (with comlink) the first time a frame is dropped or sent,
 * so neither weighs on the first paint. Decoding a 20 MB PNG, hashing it, drawing its thumbnail and encoding a sent
 * frame as base64 freeze the page for a moment on a slower machine, so they run in the worker; where there is none
 * (test DOMs), or it is lost, here. A worker that fails or stops answering is dropped; the next call starts a fresh
 * one.
 */
import { releaseProxy, wrap, type Remote } from 'comlink'
import { blobToBase64, sha256Hex } from './bytes'
import type { FrameProbeWorker } from './frame-probe.worker'

/** Beyond the decoded size, what a caller needs of a frame: its SHA-256, its thumbnail. */
export interface FrameWants {
  hash: boolean
  thumb: boolean
}

/** What the worker found: the decoded size, and what was wanted of the rest; or that the frame does not decode. */
export type OpenedFrame = { ok: true; width: number; height: number; hash: string | undefined; thumb: Blob | undefined } | { ok: false }

/** Previews and task cards show at most this width, so a long task list never decodes 20 MB frames. */
export const THUMB_WIDTH = 480

/** The thumbnail's pixels: `maxWidth` wide at most, never enlarged, never zero. */
export function thumbSize(width: number, height: number, maxWidth: number) {
  const scale = Math.min(1, maxWidth / width)
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

/** A 20 MB PNG opens in about half a second; past this the worker is taken as lost, so a drop never hangs. */
export const PROBE_TIMEOUT_MS = 30_000

/** Why a frame could not be opened in the worker; the caller words it for the frame. */
export class ProbeLost extends Error {}

let worker: { raw: Worker; api: Remote<FrameProbeWorker>; failed: Promise<never> } | undefined

function dropWorker() {
  worker?.api[releaseProxy]()
  worker?.raw.terminate()
  worker = undefined
}

function probeWorker() {
  if (worker) return worker
  const raw = new Worker(new URL('./frame-probe.worker.ts', import.meta.url), { type: 'module' })
  // A worker that cannot start (or dies) never answers: its error fails the call at once rather than at the timeout.
  const failed = new Promise<never>((_, reject) => {
    raw.addEventListener('error', () => reject(new ProbeLost('the worker stopped')), { once: true })
  })
  failed.catch(() => {})
  worker = { raw, api: wrap<FrameProbeWorker>(raw), failed }
  return worker
}

/** One call to the worker, given up (and the worker dropped) when it dies or takes longer than PROBE_TIMEOUT_MS. */
async function inWorker<T>(call: (api: Remote<FrameProbeWorker>) => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeLost('it took too long')), PROBE_TIMEOUT_MS)
  })
  try {
    const { api, failed } = probeWorker()
    return await Promise.race([call(api), failed, late])
  } catch (e) {
    dropWorker()
    throw e instanceof ProbeLost ? e : new ProbeLost(e instanceof Error ? e.message : String(e))
  } finally {
    clearTimeout(timer)
  }
}

/** Decodes, hashes and thumbnails a frame in a Worker: never on the main thread. */
export const openInWorker = (file: Blob, want: FrameWants): Promise<OpenedFrame> => inWorker<OpenedFrame>((api) => api.open(file, want))

/**
 * A frame's bytes as a request body carries them (base64, no data: prefix), encoded in the Worker: a frame sent as
 * stored can be megabytes. Where no worker can be had, encoded here.
 */
export async function frameBase64(blob: Blob): Promise<string> {
  if (typeof Worker !== 'undefined') {
    try {
      return await inWorker((api) => api.base64(blob))
    } catch {
      // As for opening a frame: a lost worker still leaves the main thread to answer.
    }
  }
  return blobToBase64(blob)
}

/** A frame's facts and what is wanted of it: in the worker, or on this thread where no worker can be had. */
export async function openFrameBytes(file: Blob, want: FrameWants): Promise<OpenedFrame> {
  if (typeof Worker !== 'undefined') {
    try {
      return await openInWorker(file, want)
    } catch {
      // A lost worker (or one this browser cannot start): the main thread still gives the designer an answer.
    }
  }
  return openHere(file, want)
}

async function openHere(file: Blob, want: FrameWants): Promise<OpenedFrame> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    return { ok: false }
  }
  const { width, height } = bitmap
  bitmap.close()
  const hash = want.hash ? await sha256Hex(file) : undefined
  const thumb = want.thumb ? await thumbnailHere(file) : undefined
  return { ok: true, width, height, hash, thumb }
}

/** Undefined where the browser cannot draw (test DOMs); callers then show the frame itself. */
async function thumbnailHere(file: Blob): Promise<Blob | undefined> {
  if (typeof createImageBitmap === 'undefined' || typeof document === 'undefined') return undefined
  try {
    const bitmap = await createImageBitmap(file)
    const size = thumbSize(bitmap.width, bitmap.height, THUMB_WIDTH)
    const canvas = document.createElement('canvas')
    canvas.width = size.width
    canvas.height = size.height
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
    bitmap.close()
    return await new Promise<Blob | undefined>((resolve) => canvas.toBlob((b) => resolve(b ?? undefined), 'image/jpeg', 0.85))
  } catch {
    return undefined
  }
}

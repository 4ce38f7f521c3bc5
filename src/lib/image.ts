import { sha256Hex } from './bytes'
import { formatBytes } from './format'
import type { FrameWants, OpenedFrame } from './frame-probe'
import { MAX_FRAME_BYTES, SNIFF_BYTES, sniffImageType, type FrameMime } from './image-type'

export { MAX_FRAME_BYTES, type FrameMime } from './image-type'

export interface ProbedFrame {
  mime: FrameMime
  width: number
  height: number
  bytes: number
}

/** A frame checked and ready to keep: its facts, its SHA-256 (hex) and a small JPEG where the browser can draw one. */
export interface OpenedFile extends ProbedFrame {
  hash: string
  thumb: Blob | undefined
}

export class FrameProblem extends Error {}

/** Type by the bytes, then size: both read from the file's head and length, cheap enough for the main thread. */
async function checkHead(file: Blob, label: string): Promise<FrameMime> {
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer())
  const type = sniffImageType(head)
  if (!type.mime) {
    throw new FrameProblem(`${label} is ${type.kind}. Use a JPEG or PNG.`)
  }
  if (file.size > MAX_FRAME_BYTES) {
    throw new FrameProblem(`${label} is ${formatBytes(file.size)}, over the 20 MB limit. Export it smaller or as a JPEG.`)
  }
  return type.mime
}

const damaged = (label: string) =>
  new FrameProblem(`${label} could not be opened: the file looks damaged. Export it again as a JPEG or PNG.`)

/**
 * Decoding a 20 MB PNG, hashing it and drawing its thumbnail freeze the page for a moment on a slower machine, so
 * they run in a Worker (frame-probe.worker, loaded on the first frame). Where there is no Worker (test DOMs), or
 * the worker is lost, the same work is done here, as before.
 */
async function open(file: Blob, want: FrameWants): Promise<OpenedFrame> {
  if (typeof Worker !== 'undefined') {
    try {
      const { openInWorker } = await import('./frame-probe')
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

/**
 * Checks a file the way the provider will: type by its bytes, size, and that it really decodes.
 * `label` names the frame in the message ("Last frame is a GIF. Use a JPEG or PNG.").
 */
export async function probeFrame(file: Blob, label: string): Promise<ProbedFrame> {
  const mime = await checkHead(file, label)
  const opened = await open(file, { hash: false, thumb: false })
  if (!opened.ok) throw damaged(label)
  return { mime, width: opened.width, height: opened.height, bytes: file.size }
}

/** probeFrame, plus what keeping the frame needs (its hash and thumbnail), from one decode. */
export async function openFrame(file: Blob, label: string): Promise<OpenedFile> {
  const mime = await checkHead(file, label)
  const opened = await open(file, { hash: true, thumb: true })
  if (!opened.ok) throw damaged(label)
  const hash = opened.hash ?? (await sha256Hex(file))
  return { mime, width: opened.width, height: opened.height, bytes: file.size, hash, thumb: opened.thumb }
}

/** As frame-probe's THUMB_WIDTH: the worker's thumbnail and this one are the same size. */
const THUMB_WIDTH = 480

/**
 * A small JPEG of a frame for previews and task cards, so a long task list never decodes 20 MB frames.
 * Undefined where the browser cannot draw (test DOMs); callers then show the frame itself.
 */
export async function makeThumbnail(file: Blob): Promise<Blob | undefined> {
  if (typeof Worker !== 'undefined') {
    const opened = await open(file, { hash: false, thumb: true })
    return opened.ok ? opened.thumb : undefined
  }
  return thumbnailHere(file)
}

async function thumbnailHere(file: Blob): Promise<Blob | undefined> {
  if (typeof createImageBitmap === 'undefined' || typeof document === 'undefined') return undefined
  try {
    const bitmap = await createImageBitmap(file)
    const scale = Math.min(1, THUMB_WIDTH / bitmap.width)
    const canvas = document.createElement('canvas')
    canvas.width = Math.max(1, Math.round(bitmap.width * scale))
    canvas.height = Math.max(1, Math.round(bitmap.height * scale))
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
    bitmap.close()
    return await new Promise<Blob | undefined>((resolve) => canvas.toBlob((b) => resolve(b ?? undefined), 'image/jpeg', 0.85))
  } catch {
    return undefined
  }
}

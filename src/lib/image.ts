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

/** The decode, hash and thumbnail live in a chunk loaded on the first frame (frame-probe), worker and all. */
async function open(file: Blob, want: FrameWants): Promise<OpenedFrame> {
  const { openFrameBytes } = await import('./frame-probe')
  return openFrameBytes(file, want)
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
  // Asked for above: both the worker and the main thread hash when `hash` is wanted.
  return { mime, width: opened.width, height: opened.height, bytes: file.size, hash: opened.hash!, thumb: opened.thumb }
}

/**
 * A small JPEG of a frame for previews and task cards, so a long task list never decodes 20 MB frames.
 * Undefined where the browser cannot draw (test DOMs); callers then show the frame itself.
 */
export async function makeThumbnail(file: Blob): Promise<Blob | undefined> {
  const opened = await open(file, { hash: false, thumb: true })
  return opened.ok ? opened.thumb : undefined
}

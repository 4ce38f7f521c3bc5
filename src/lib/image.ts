import { formatBytes } from './format'
import { MAX_FRAME_BYTES, SNIFF_BYTES, sniffImageType, type FrameMime } from './image-type'

export { MAX_FRAME_BYTES, type FrameMime } from './image-type'

export interface ProbedFrame {
  mime: FrameMime
  width: number
  height: number
  bytes: number
}

export class FrameProblem extends Error {}

/**
 * Checks a file the way the provider will: type by its bytes, size, and that it really decodes.
 * `label` names the frame in the message ("Last frame is a GIF. Use a JPEG or PNG.").
 */
export async function probeFrame(file: Blob, label: string): Promise<ProbedFrame> {
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer())
  const type = sniffImageType(head)
  if (!type.mime) {
    throw new FrameProblem(`${label} is ${type.kind}. Use a JPEG or PNG.`)
  }
  if (file.size > MAX_FRAME_BYTES) {
    throw new FrameProblem(`${label} is ${formatBytes(file.size)}, over the 20 MB limit. Export it smaller or as a JPEG.`)
  }
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    throw new FrameProblem(`${label} could not be opened: the file looks damaged. Export it again as a JPEG or PNG.`)
  }
  const probed = { mime: type.mime, width: bitmap.width, height: bitmap.height, bytes: file.size }
  bitmap.close()
  return probed
}

const THUMB_WIDTH = 480

/**
 * A small JPEG of a frame for previews and task cards, so a long task list never decodes 20 MB frames.
 * Undefined where the browser cannot draw (test DOMs); callers then show the frame itself.
 */
export async function makeThumbnail(file: Blob): Promise<Blob | undefined> {
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

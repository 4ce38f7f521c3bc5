/** Image checks the provider documents: JPEG or PNG, at most 20 MB, judged by bytes, not by name. */
export const MAX_FRAME_BYTES = 20 * 1024 * 1024

export type FrameMime = 'image/png' | 'image/jpeg'

const startsWith = (bytes: Uint8Array, signature: number[]) => signature.every((b, i) => bytes[i] === b)

/** What the first bytes say the file is; `undefined` when it is none of the kinds we can name. */
export function sniffImageType(bytes: Uint8Array): { mime: FrameMime } | { mime: undefined; kind: string } {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png' }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg' }
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return { mime: undefined, kind: 'a GIF' }
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && String.fromCharCode(...bytes.slice(8, 12)) === 'WEBP') return { mime: undefined, kind: 'a WebP image' }
  if (String.fromCharCode(...bytes.slice(4, 12)).match(/ftyp(heic|heix|mif1|avif)/)) return { mime: undefined, kind: 'a HEIC/AVIF image' }
  if (startsWith(bytes, [0x42, 0x4d])) return { mime: undefined, kind: 'a BMP image' }
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return { mime: undefined, kind: 'a PDF' }
  return { mime: undefined, kind: 'not an image we can read' }
}

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
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer())
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

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/** Where a cover-fit to `aspect` crops a frame: the kept rectangle, in fractions of the frame. */
export function coverCrop(width: number, height: number, aspect: number): { x: number; y: number; w: number; h: number } {
  const frameAspect = width / height
  if (Math.abs(frameAspect - aspect) < 0.01) return { x: 0, y: 0, w: 1, h: 1 }
  if (frameAspect > aspect) {
    const w = aspect / frameAspect
    return { x: (1 - w) / 2, y: 0, w, h: 1 }
  }
  const h = frameAspect / aspect
  return { x: 0, y: (1 - h) / 2, w: 1, h }
}

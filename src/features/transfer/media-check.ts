import { sniffImageType, type FrameMime } from '../../lib/image-type'

export type VideoMime = 'video/mp4' | 'video/webm'

/**
 * What a video is, by its first bytes: an MP4 starts with an 'ftyp' box (its size, then the word), a WebM with the
 * EBML magic. Anything else is not a video, whatever its name says.
 */
export function sniffVideo(bytes: Uint8Array): VideoMime | undefined {
  if (bytes.length >= 12 && String.fromCharCode(...bytes.subarray(4, 8)) === 'ftyp') {
    const box = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0
    if (box >= 12 && box <= bytes.length) return 'video/mp4'
  }
  if (bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'video/webm'
  return undefined
}

/** The image type a frame's (or poster's) bytes really are, or what they are instead ("a GIF"). */
export function sniffImage(bytes: Uint8Array): { mime: FrameMime } | { mime: undefined; kind: string } {
  return sniffImageType(bytes.subarray(0, 64))
}

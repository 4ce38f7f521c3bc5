/*
 * What a file is, judged by its first bytes, never by its name or a declared type. Pure (no DOM, no Buffer), so the
 * studio and the gateway's engine share it: only PNG and JPEG pass; everything else is named so a message can say
 * "<field> is a GIF" or "<field> is not an image we can read".
 */

export type FrameMime = 'image/png' | 'image/jpeg'

/** The provider's limit per frame (shared/seeds/001): JPEG or PNG, at most 20 MB. */
export const MAX_FRAME_BYTES = 20 * 1024 * 1024

/** `mime` for the two types the provider takes; otherwise `kind`, which reads naturally after "is". */
export type SniffedType = { mime: FrameMime } | { mime: undefined; kind: string }

/** How many leading bytes sniffImageType looks at; passing more is fine. */
export const SNIFF_BYTES = 64

const HEIC_BRANDS = /^(heic|heix|heim|heis|hevc|hevx|hevm|hevs)$/
const HEIF_BRANDS = /^(mif1|msf1)$/
const AVIF_BRANDS = /^avi[fs]$/

export function sniffImageType(bytes: Uint8Array): SniffedType {
  const starts = (signature: readonly number[], at = 0) =>
    bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b)
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)))
  const other = (kind: string): SniffedType => ({ mime: undefined, kind })

  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png' }
  if (starts([0xff, 0xd8, 0xff])) return { mime: 'image/jpeg' }
  if (bytes.length === 0) return other('empty')
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return other('a GIF')
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return other('a WebP image')
  if (ascii(0, 2) === 'BM') return other('a BMP image')
  if (starts([0x49, 0x49, 0x2a, 0x00]) || starts([0x4d, 0x4d, 0x00, 0x2a])) return other('a TIFF image')
  if (starts([0xff, 0x0a]) || starts([0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) return other('a JPEG XL image')
  if (ascii(0, 4) === '8BPS') return other('a Photoshop document')
  if (ascii(0, 5) === '%PDF-') return other('a PDF')
  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12)
    if (HEIC_BRANDS.test(brand)) return other('a HEIC image')
    if (AVIF_BRANDS.test(brand)) return other('an AVIF image')
    if (HEIF_BRANDS.test(brand)) return other('a HEIF image')
    return other('a video or other MP4-family file')
  }
  // Text that starts with markup: an SVG drawing, or a web page (often an error or login page behind an image URL).
  const head = ascii(0, SNIFF_BYTES).replace(/^\xEF\xBB\xBF/, '') // a UTF-8 byte-order mark
  if (/^\s*</.test(head)) {
    if (/<svg[\s>]/i.test(head)) return other('an SVG drawing, not a picture file')
    if (/^\s*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i.test(head)) return other('a web page (HTML), not an image')
    return other('text (HTML or SVG), not an image')
  }
  return other('not an image we can read')
}

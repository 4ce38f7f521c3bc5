/*
 * The pixel size of a PNG or JPEG from its header, without decoding it: the frame check answers in milliseconds and
 * spawns nothing. PNG keeps it in IHDR, the first chunk; JPEG in its start-of-frame segment, which comes after any
 * number of other segments (EXIF, ICC profiles, tables) and has the same layout for baseline, progressive and
 * lossless coding. A submit still decodes the whole image (engine/frames.ts); this only reads what the header says.
 */

export interface PixelSize {
  width: number
  height: number
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** The size from a PNG's IHDR chunk, or undefined when the header is missing or says nothing usable. */
export function pngSize(bytes: Uint8Array): PixelSize | undefined {
  if (bytes.length < 24 || !PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return undefined
  const size = { width: view.getUint32(16), height: view.getUint32(20) }
  return size.width > 0 && size.height > 0 ? size : undefined
}

/** Start-of-frame markers C0–CF, except C4 (Huffman tables), C8 (reserved) and CC (arithmetic coding tables). */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
/** Markers with no length after them: TEM, RST0–7, SOI, EOI. */
const standsAlone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)

/** The size from a JPEG's start-of-frame segment, or undefined when none is found before the data runs out. */
export function jpegSize(bytes: Uint8Array): PixelSize | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined
  let at = 2
  while (at + 1 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined // not at a marker: the file is not laid out as a JPEG
    let marker = bytes[at + 1] as number
    // Any number of 0xFF fill bytes may precede a marker.
    while (marker === 0xff && at + 2 < bytes.length) marker = bytes[++at + 1] as number
    at += 2
    if (standsAlone(marker)) continue
    if (at + 2 > bytes.length) return undefined
    const length = ((bytes[at] as number) << 8) | (bytes[at + 1] as number)
    if (length < 2) return undefined
    if (isStartOfFrame(marker)) {
      if (at + 7 > bytes.length) return undefined
      const height = ((bytes[at + 3] as number) << 8) | (bytes[at + 4] as number)
      const width = ((bytes[at + 5] as number) << 8) | (bytes[at + 6] as number)
      // A height of 0 defers it to a DNL marker after the first scan; nobody exports that, so it counts as unknown.
      return width > 0 && height > 0 ? { width, height } : undefined
    }
    at += length
  }
  return undefined
}

export function imageSize(bytes: Uint8Array): PixelSize | undefined {
  return pngSize(bytes) ?? jpegSize(bytes)
}

// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { sniffImageType } from './image-type'

const b = (...bytes: number[]) => Uint8Array.from(bytes)
const s = (text: string) => Uint8Array.from(text, (ch) => ch.charCodeAt(0))
const kind = (bytes: Uint8Array) => {
  const t = sniffImageType(bytes)
  return t.mime ?? t.kind
}

describe('sniffImageType', () => {
  it('passes PNG and JPEG, by their bytes', () => {
    expect(sniffImageType(b(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toEqual({ mime: 'image/png' })
    expect(sniffImageType(b(0xff, 0xd8, 0xff, 0xe0))).toEqual({ mime: 'image/jpeg' })
    expect(sniffImageType(b(0xff, 0xd8, 0xff))).toEqual({ mime: 'image/jpeg' })
  })

  it.each([
    ['GIF89a....', 'a GIF'],
    ['GIF87a....', 'a GIF'],
    ['RIFF\0\0\0\0WEBPVP8 ', 'a WebP image'],
    ['BM6\0\0\0', 'a BMP image'],
    ['II*\0\x08\0\0\0', 'a TIFF image'],
    ['MM\0*\0\0\0\x08', 'a TIFF image'],
    ['\0\0\0\x18ftypheic\0\0\0\0', 'a HEIC image'],
    ['\0\0\0\x18ftyphevc\0\0\0\0', 'a HEIC image'],
    ['\0\0\0\x1cftypavif\0\0\0\0', 'an AVIF image'],
    ['\0\0\0\x18ftypmif1\0\0\0\0', 'a HEIF image'],
    ['\0\0\0\x20ftypisom\0\0\x02\0', 'a video or other MP4-family file'],
    ['\0\0\0\x14ftypqt  \0\0\0\0', 'a video or other MP4-family file'],
    ['%PDF-1.7\n', 'a PDF'],
    ['8BPS\0\x01', 'a Photoshop document'],
    ['\0\0\0\x0cJXL \r\n\x87\n', 'a JPEG XL image'],
    ['<svg xmlns="http://www.w3.org/2000/svg">', 'an SVG drawing, not a picture file'],
    ['<?xml version="1.0"?>\n<svg width="1">', 'an SVG drawing, not a picture file'],
    ['<!DOCTYPE html><html><body>Sign in', 'a web page (HTML), not an image'],
    ['\xEF\xBB\xBF  <html lang="en">', 'a web page (HTML), not an image'],
    ['<?xml version="1.0"?><note/>', 'text (HTML or SVG), not an image'],
    ['hello world, plain text', 'not an image we can read'],
  ])('names %j as %s', (text, want) => {
    expect(kind(s(text))).toBe(want)
  })

  it('says an empty file is empty, and does not mistake a short one for anything', () => {
    expect(kind(b())).toBe('empty')
    expect(kind(b(0x89, 0x50))).toBe('not an image we can read')
    expect(kind(b(0xff, 0xd8))).toBe('not an image we can read')
  })

  it('reads a prefix or the whole file alike', () => {
    const png = new Uint8Array(4096)
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    expect(sniffImageType(png)).toEqual({ mime: 'image/png' })
    expect(sniffImageType(png.subarray(0, 16))).toEqual({ mime: 'image/png' })
  })
})

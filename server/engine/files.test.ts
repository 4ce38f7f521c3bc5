import { describe, expect, it } from 'vitest'
import { parseRange } from './files.ts'
import { decodeBase64, sniff } from './frames.ts'
import { ContractError } from '../errors.ts'
import { MAX_IMAGE_BYTES } from '../limits.ts'

describe('parseRange', () => {
  const size = 1000
  it.each([
    [undefined, { kind: 'full' }],
    ['bytes=0-99', { kind: 'partial', start: 0, end: 99 }],
    ['bytes=900-', { kind: 'partial', start: 900, end: 999 }],
    ['bytes=900-5000', { kind: 'partial', start: 900, end: 999 }],
    ['bytes=-100', { kind: 'partial', start: 900, end: 999 }],
    ['bytes=-5000', { kind: 'partial', start: 0, end: 999 }],
    ['bytes=1000-', { kind: 'unsatisfiable' }],
    ['bytes=5-4', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=-', { kind: 'unsatisfiable' }],
    ['bytes=x-y', { kind: 'unsatisfiable' }],
    ['bytes=0-1,5-6', { kind: 'full' }],
    ['items=0-1', { kind: 'full' }],
  ])('%s', (header, want) => {
    expect(parseRange(header, size)).toEqual(want)
  })
})

const b = (...bytes: number[]) => Uint8Array.from(bytes)
const s = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'))

describe('sniff', () => {
  it('knows PNG and JPEG by their bytes, and names the usual others', () => {
    expect(sniff(b(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('png')
    expect(sniff(b(0xff, 0xd8, 0xff, 0xe0))).toBe('jpeg')
    expect(sniff(s('GIF89a....'))).toEqual({ other: 'a GIF' })
    expect(sniff(s('RIFF\0\0\0\0WEBPVP8 '))).toEqual({ other: 'a WebP image' })
    expect(sniff(s('\0\0\0\x18ftypheic'))).toEqual({ other: 'a HEIC image' })
    expect(sniff(s('<svg xmlns='))).toEqual({ other: 'text (HTML or SVG), not an image' })
    expect(sniff(b())).toEqual({ other: 'empty' })
  })
})

describe('decodeBase64', () => {
  it('takes plain, data:-prefixed and URL-safe base64', () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xfb, 0xfe, 0x01])
    expect(decodeBase64('image', bytes.toString('base64'))).toEqual(bytes)
    expect(decodeBase64('image', `data:image/png;base64,${bytes.toString('base64')}`)).toEqual(bytes)
    expect(decodeBase64('image', bytes.toString('base64url'))).toEqual(bytes)
  })
  it('refuses what is not base64, and what is too big before decoding it', () => {
    expect(() => decodeBase64('image', 'hello world!')).toThrow(/^image is neither an http\(s\) URL nor valid base64/)
    expect(() => decodeBase64('image', 'data:image/png,abc')).toThrow(ContractError)
    expect(() => decodeBase64('image', 'A'.repeat(Math.ceil(((MAX_IMAGE_BYTES + 3) * 4) / 3)))).toThrow(/over the 20 MB limit/)
  })
})

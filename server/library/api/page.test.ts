import { describe, expect, it } from 'vitest'
import { isoFromMicros } from '../db/queries/keyset.ts'
import { decodeCursor, encodeCursor } from './page.ts'

/* The cursor on the wire and the instant it carries: pure, so no engine is needed. */

describe('a page cursor', () => {
  it('carries the last row’s time to the microsecond and its id, whatever the id holds', () => {
    for (const at of [
      { micros: 1_795_000_000_123_456n, key: 'local:abc#3' },
      { micros: 0n, key: 'a.b.c' },
      { micros: 253_402_300_799_999_999n, key: 'héllo ✓ 🙂' },
    ]) {
      const cursor = encodeCursor(at)
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/)
      expect(decodeCursor(cursor)).toEqual(at)
    }
  })

  it('is refused when it is not one a page gave out, or names a time outside years 1970–9999', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url')
    for (const cursor of [
      '',
      'not base64!',
      b64('nope'),
      b64('12'),
      b64('-5.id'),
      b64('253402300800000000.id'),
      b64('1.\u0000'),
      'x'.repeat(1025),
    ])
      expect(decodeCursor(cursor)).toBeUndefined()
  })

  it('writes the instant with all six decimals, which PostgreSQL reads without rounding', () => {
    expect(isoFromMicros(1_795_000_000_123_456n)).toBe('2026-11-18T11:06:40.123456Z')
    expect(isoFromMicros(0n)).toBe('1970-01-01T00:00:00.000000Z')
    expect(isoFromMicros(253_402_300_799_999_999n)).toBe('9999-12-31T23:59:59.999999Z')
  })
})

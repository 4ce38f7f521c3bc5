import * as z from 'zod'
import { PAGE_LIMIT, type Keyset, type Page } from '../db/queries/keyset.ts'
import { isStorable } from './http.ts'

/*
 * Keyset pages on the wire: `?limit=` (1–200, 60 when left out) and an opaque `cursor`, the base64url of where the
 * last page ended (its last row's time in microseconds and its id). Answers are `{items, nextCursor}`, nextCursor null
 * on the last page.
 */

export function encodeCursor(at: Keyset): string {
  return Buffer.from(`${at.micros}.${at.key}`, 'utf8').toString('base64url')
}

/** The first instant of year 10000, in microseconds: a time in a cursor is from 1970 up to there. */
const END_OF_9999 = 253_402_300_800_000_000n

export function decodeCursor(cursor: string): Keyset | undefined {
  if (!/^[A-Za-z0-9_-]{1,1024}$/.test(cursor)) return undefined
  const m = /^(\d{1,18})\.([\s\S]+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!m || !isStorable(m[2]!)) return undefined
  const micros = BigInt(m[1]!)
  return micros < END_OF_9999 ? { micros, key: m[2]! } : undefined
}

const limitWords = `"limit" must be a whole number from ${PAGE_LIMIT.min} to ${PAGE_LIMIT.max} (leave it out for ${PAGE_LIMIT.default}).`

/** The query parameters every list takes. */
export const pageParams = {
  limit: z
    .string()
    .regex(/^\d{1,4}$/, { error: limitWords })
    .transform(Number)
    .pipe(z.number().min(PAGE_LIMIT.min, { error: limitWords }).max(PAGE_LIMIT.max, { error: limitWords }))
    .optional()
    .transform((n) => n ?? PAGE_LIMIT.default),
  cursor: z
    .string()
    .transform((s, ctx) => {
      const at = decodeCursor(s)
      if (!at)
        ctx.addIssue({
          code: 'custom',
          message: '"cursor" is not one this list gave out: pass the nextCursor of the page before, or leave it out to start at the top.',
        })
      return at ?? z.NEVER
    })
    .optional(),
}

/** A page as the API answers it. */
export const pageJson = <R, T>(page: Page<R>, toJson: (row: R) => T) => ({
  items: page.rows.map(toJson),
  nextCursor: page.next ? encodeCursor(page.next) : null,
})

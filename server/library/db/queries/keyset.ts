import { sql, type RawBuilder, type SqlBool } from 'kysely'

/*
 * Keyset pages: a list is read newest first by (time desc, key desc), and the next page starts after the last row
 * seen, so a page costs the same at row 10 as at row 10,000 and a row written meanwhile never shifts one into the
 * page after. The time is carried in whole microseconds (what timestamptz holds): a cursor in milliseconds would skip
 * the rows that share a millisecond with the page's last row but differ below it.
 */

/** Where a page ended: the last row's time, in microseconds since the epoch, and its key. */
export interface Keyset {
  micros: bigint
  key: string
}

export interface Page<T> {
  rows: T[]
  /** Where the next page starts; null on the last page. */
  next: Keyset | null
}

/** Page sizes, for the API's limit. */
export const PAGE_LIMIT = { min: 1, max: 200, default: 60 } as const

/** A timestamptz column as whole microseconds since the epoch, as text: exact on both engines. */
export const epochMicros = (column: string) => sql<string>`cast(floor(extract(epoch from ${sql.ref(column)}) * 1000000) as int8)::text`

/** The instant of `micros` as an ISO 8601 text with all six decimals, which PostgreSQL reads without rounding. */
export function isoFromMicros(micros: bigint): string {
  const seconds = micros / 1_000_000n - (micros % 1_000_000n < 0n ? 1n : 0n)
  const fraction = micros - seconds * 1_000_000n
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19)
  return `${whole}.${fraction.toString().padStart(6, '0')}Z`
}

/** Rows after `after` in the (time desc, key desc) order. */
export const after = (timeColumn: string, keyColumn: string, at: Keyset): RawBuilder<SqlBool> =>
  sql<SqlBool>`(${sql.ref(timeColumn)}, ${sql.ref(keyColumn)}) < (cast(${isoFromMicros(at.micros)} as timestamptz), ${at.key})`

/** A page from `limit + 1` rows read: the extra row only says there is a next page. */
export function toPage<T extends { at_us: string }>(rows: T[], limit: number, keyOf: (row: T) => string): Page<T> {
  if (rows.length <= limit) return { rows, next: null }
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]!
  return { rows: page, next: { micros: BigInt(last.at_us), key: keyOf(last) } }
}

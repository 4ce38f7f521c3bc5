import { sql } from 'kysely'
import type { LibraryKysely } from '../db/db.ts'

/*
 * At most `perMinute` sends with one provider key in any 60 s, however many gateways share the database. A lock row
 * per key serialises the takers (SELECT … FOR UPDATE), and the grants of the last minute are counted under it, all on
 * the database's clock (clock_timestamp), so gateways whose clocks differ still agree. A sliding window, not a token
 * bucket: a bucket that starts full lets its capacity through at once and then its refill, which can pass the limit
 * inside one window.
 */

export type Turn = { granted: true } | { granted: false; retryInMs: number }

const WINDOW_MS = 60_000
/**
 * The window kept is a little longer than the provider's minute, as the studio's own queue kept it: a send arrives
 * some milliseconds after its turn (claimed, then uploaded), and uneven uploads must not put limit + 1 arrivals inside
 * one of the provider's minutes.
 */
const KEPT_MS = WINDOW_MS + 500
const KEPT = sql.raw(`interval '${KEPT_MS} milliseconds'`)

export async function takeTurn(db: LibraryKysely, key: string, perMinute: number): Promise<Turn> {
  if (perMinute <= 0) return { granted: true }
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('rate_windows')
      .values({ key })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute()
    await trx.selectFrom('rate_windows').select('key').where('key', '=', key).forUpdate().execute()
    await trx
      .deleteFrom('rate_grants')
      .where('key', '=', key)
      .where('at', '<=', sql<Date>`clock_timestamp() - ${KEPT}`)
      .execute()
    const grants = await trx.selectFrom('rate_grants').select('at').where('key', '=', key).orderBy('at', 'desc').limit(perMinute).execute()
    if (grants.length < perMinute) {
      await trx
        .insertInto('rate_grants')
        .values({ key, at: sql<Date>`clock_timestamp()` })
        .execute()
      return { granted: true }
    }
    const { now } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(trx).then((r) => r.rows[0]!)
    // The oldest of the last `perMinute` grants leaves the window first.
    const oldest = grants.at(-1)!.at.getTime()
    return { granted: false, retryInMs: Math.max(1, oldest + KEPT_MS - now.getTime()) }
  })
}

import PgBoss from 'pg-boss'
import { CompiledQuery, type Transaction } from 'kysely'
import type { LibraryDb } from '../db/db.ts'
import type { LibraryTables } from '../db/schema.ts'

/*
 * pg-boss on the library's own database. On PostgreSQL it opens a small pool of its own; on PGlite it talks through
 * the one connection's lock (pglite-dialect.ts), so its statements never land inside a Kysely transaction. Jobs are
 * claimed with SKIP LOCKED, so several gateways on one PostgreSQL share them and none runs a job twice.
 */

type Rows = { rows: unknown[] }

export const bossSchema = (librarySchema: string | undefined) => (librarySchema ? `${librarySchema}_boss` : 'pgboss')

export function createBoss(store: LibraryDb, databaseUrl: string | undefined, librarySchema: string | undefined): PgBoss {
  const common = {
    schema: bossSchema(librarySchema),
    // Nothing is scheduled by cron; supervision expires jobs a killed gateway held, so they run again.
    schedule: false,
    supervise: true,
    maintenanceIntervalSeconds: 30,
    application_name: 'veo-studio',
  }
  const embedded = store.embedded
  if (embedded)
    return new PgBoss({
      ...common,
      db: {
        executeSql: (text: string, values: unknown[]) =>
          embedded.withConnection(async (p): Promise<Rows> => {
            if (values && values.length > 0) return p.query(text, values)
            // Multi-statement text (pg-boss's install and migrations) goes through exec; its last result is the answer.
            const results = await p.exec(text)
            return { rows: results.at(-1)?.rows ?? [] }
          }),
      },
    })
  return new PgBoss({ ...common, connectionString: databaseUrl!, max: 4 })
}

/** pg-boss statements inside a Kysely transaction: a job sent this way exists only if the transaction commits. */
export const inTransaction = (trx: Transaction<LibraryTables>) => ({
  executeSql: async (text: string, values: unknown[]): Promise<Rows> => trx.executeQuery(CompiledQuery.raw(text, values ?? [])),
})

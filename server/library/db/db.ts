import { PGlite } from '@electric-sql/pglite'
import { Kysely, Migrator, PostgresDialect, sql, type MigrationProvider } from 'kysely'
import { Pool, types } from 'pg'
import { migrationProvider } from './migrations.ts'
import { PGliteDialect, PGliteHandle } from './pglite-dialect.ts'
import type { LibraryTables } from './schema.ts'

/*
 * The library's database: an embedded PostgreSQL (PGlite) in the data folder by default, a real PostgreSQL when
 * DATABASE_URL is set. One schema, one set of migrations and one query builder serve both; only opening, closing and
 * backing up differ, and they live here.
 */

export type LibraryKysely = Kysely<LibraryTables>

export interface LibraryDb {
  db: LibraryKysely
  engine: 'pglite' | 'postgres'
  /** The embedded database's handle (its lock, for the job runner and backups); absent on PostgreSQL. */
  embedded: PGliteHandle | undefined
  /** The migrations this open applied, in order (empty when the schema was current). */
  applied: string[]
  /** Writes everything to the data files now (PGlite); PostgreSQL does its own. */
  checkpoint(): Promise<void>
  close(): Promise<void>
}

export interface OpenOptions {
  /** PGlite's folder (the data folder's db/), used when `databaseUrl` is not set. */
  embeddedDir: string
  databaseUrl?: string | undefined
  /** A PostgreSQL schema of its own (tests; several studios on one database). Created when missing. */
  schema?: string | undefined
  /** Called before pending migrations run on a database that already holds a library (a backup). */
  beforeMigrate?: (db: Omit<LibraryDb, 'applied'>, pending: string[]) => Promise<void>
  /** The migrations to run (tests); the library's own by default. */
  migrations?: MigrationProvider
}

/** int8 (counts, sizes, event ids) as a number on PostgreSQL too, as PGlite reads it: none comes near 2^53. */
const INT8_OID = 20
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : types.getTypeParser(oid, format as 'text')) as typeof types.getTypeParser,
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

export async function openLibraryDb(options: OpenOptions): Promise<LibraryDb> {
  const opened = options.databaseUrl ? await openPostgres(options.databaseUrl, options.schema) : await openEmbedded(options.embeddedDir)
  try {
    const applied = await migrate(opened, options)
    return { ...opened, applied }
  } catch (err) {
    await opened.close().catch(() => undefined)
    throw err
  }
}

async function openEmbedded(dir: string): Promise<Omit<LibraryDb, 'applied'>> {
  const pglite = await PGlite.create(dir)
  const handle = new PGliteHandle(pglite)
  const db = new Kysely<LibraryTables>({ dialect: new PGliteDialect(handle) })
  const checkpoint = () => handle.withConnection(async (p) => void (await p.exec('CHECKPOINT')))
  return {
    db,
    engine: 'pglite',
    embedded: handle,
    checkpoint,
    close: async () => {
      if (pglite.closed) return
      // Waits for whoever holds the connection, then writes everything out before closing the files.
      await handle.withConnection(async (p) => {
        await p.exec('CHECKPOINT')
        await p.close()
      })
    },
  }
}

async function openPostgres(url: string, schema: string | undefined): Promise<Omit<LibraryDb, 'applied'>> {
  if (schema !== undefined && !SCHEMA_NAME.test(schema))
    throw new Error(`DATABASE_SCHEMA "${schema}" is not a plain schema name: use lower-case letters, digits and _.`)
  const pool = new Pool({
    connectionString: url,
    types: pgTypes,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  })
  // An idle client that loses its server (a restart) must not crash the gateway: the pool makes a new one.
  pool.on('error', () => undefined)
  const db = new Kysely<LibraryTables>({ dialect: new PostgresDialect({ pool }) })
  try {
    await sql`select 1`.execute(db)
    if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db)
  } catch (err) {
    await db.destroy().catch(() => undefined)
    throw new Error(`Could not reach the PostgreSQL at DATABASE_URL (${redactUrl(url)}): ${(err as Error).message}`, { cause: err })
  }
  return { db, engine: 'postgres', embedded: undefined, checkpoint: async () => {}, close: () => db.destroy() }
}

/** A connection string as it may be printed: without its password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'an address that is not a URL'
  }
}

async function migrate(opened: Omit<LibraryDb, 'applied'>, options: OpenOptions): Promise<string[]> {
  const migrator = new Migrator({
    db: opened.db,
    provider: options.migrations ?? migrationProvider,
    ...(options.schema && opened.engine === 'postgres' ? { migrationTableSchema: options.schema } : {}),
  })
  const known = await migrator.getMigrations()
  const pending = known.filter((m) => !m.executedAt).map((m) => m.name)
  if (pending.length === 0) return []
  if (pending.length < known.length && options.beforeMigrate) await options.beforeMigrate(opened, pending)
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'a migration'
    throw new Error(`The library's database could not be updated (${failed}): ${(error as Error).message}`, { cause: error })
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

/**
 * A value for a jsonb column, the same on both engines. pg sends a JS array as a PostgreSQL array literal (`{a,b}`),
 * which jsonb refuses, while PGlite sends JSON: so every jsonb write goes through here, as JSON text cast to jsonb.
 */
export const jsonb = <T>(value: T) => sql<T>`cast(${JSON.stringify(value)} as jsonb)`

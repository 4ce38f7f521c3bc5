// The library's tests run on both of its engines: the embedded PGlite and the real PostgreSQL at 127.0.0.1:5432 (or
// TEST_DATABASE_URL / DATABASE_URL). Each test gets a library of its own: a copy of a migrated PGlite folder (made once
// per test run, since a first start runs initdb, about 10 s), or a fresh schema on PostgreSQL, dropped at close.
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { Client } from 'pg'
import { openLibraryDb } from '../library/db/db.ts'
import { openLibrary, type Library, type LibraryConfig } from '../library/library.ts'
import { dataPaths } from '../library/data-dir.ts'
import { bossSchema } from '../library/runner/boss.ts'
import { createLogger, type Logger } from '../logger.ts'

export type Engine = 'pglite' | 'postgres'
export const ENGINES: readonly Engine[] = ['pglite', 'postgres']

export const testDatabaseUrl = () => process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'

let template: Promise<string> | undefined
/** A data folder whose db/ holds a migrated, empty library: the run's (library-global-setup.ts), or one of its own. */
const migratedTemplate = () =>
  (template ??= (async () => {
    if (process.env.LIBRARY_TEMPLATE_DIR) return process.env.LIBRARY_TEMPLATE_DIR
    const dir = await mkdtemp(join(tmpdir(), 'veo-library-template-'))
    const opened = await openLibraryDb({ embeddedDir: dataPaths(dir).db })
    await opened.close()
    process.once('exit', () => void rm(dir, { recursive: true, force: true }))
    return dir
  })())

/** A fresh data folder; with `migrated`, its embedded database already holds the current schema. */
export async function freshDataDir(migrated = true): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'veo-library-test-'))
  if (migrated) await cp(dataPaths(await migratedTemplate()).db, dataPaths(dir).db, { recursive: true })
  return dir
}

/** This run's schemas share a prefix (library-global-setup.ts), so the run's end can drop them all. */
const runPrefix = () => `t_${process.env.LIBRARY_TEST_RUN ?? 'solo'}_`

export const freshSchema = () => `${runPrefix()}${process.pid}_${randomBytes(4).toString('hex')}`

/**
 * Drops a test's schema, or leaves it for the end of the run. Kysely's migrator lists every table of the database
 * before it migrates, so a schema dropped by one test while another migrates fails that one ("schema … does not
 * exist"): within a run, the global teardown drops them all at once.
 */
export async function dropSchema(schema: string): Promise<void> {
  if (process.env.LIBRARY_TEST_RUN) return
  await dropSchemas([schema, bossSchema(schema)])
}

/** Drops every schema whose name starts with `prefix` (the run's, at its end). */
export async function dropRunSchemas(prefix: string): Promise<void> {
  const client = new Client({ connectionString: testDatabaseUrl() })
  await client.connect()
  try {
    const { rows } = await client.query<{ name: string }>(`select nspname as name from pg_namespace where starts_with(nspname, $1)`, [
      prefix,
    ])
    for (const { name } of rows) await client.query(`drop schema if exists "${name}" cascade`)
  } finally {
    await client.end()
  }
}

async function dropSchemas(schemas: string[]): Promise<void> {
  const client = new Client({ connectionString: testDatabaseUrl() })
  await client.connect()
  try {
    for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`)
  } finally {
    await client.end()
  }
}

export interface TestLibrary {
  library: Library
  config: LibraryConfig
  lines: string[]
  /** Closes the library and removes its folder (and its schema, on PostgreSQL). */
  dispose(): Promise<void>
}

/** A library of its own on `engine`, as the gateway opens it. */
export async function openTestLibrary(engine: Engine, overrides: Partial<LibraryConfig> = {}): Promise<TestLibrary> {
  const dataDir = await freshDataDir(engine === 'pglite')
  const schema = engine === 'postgres' ? freshSchema() : undefined
  const config: LibraryConfig = {
    dataDir,
    databaseUrl: engine === 'postgres' ? testDatabaseUrl() : undefined,
    databaseSchema: schema,
    backupIntervalMs: 0,
    ...overrides,
  }
  const lines: string[] = []
  const logger: Logger = createLogger((l) => lines.push(l))
  const library = await openLibrary(config, logger)
  return {
    library,
    config,
    lines,
    dispose: async () => {
      await library.close()
      if (schema) await dropSchema(schema)
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

import type { PGlite } from '@electric-sql/pglite'
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely'

/*
 * Kysely on PGlite. PGlite is one connection: two callers that interleave statements share one session, so a
 * transaction opened by one would take in the other's writes (and a rollback would drop them). The community
 * kysely-pglite holds no lock, and a transaction that threw was committed by a concurrent one (LIBRARY.md). So every
 * use of the connection, from acquire to release, holds one mutex: a Kysely query, a whole Kysely transaction, and
 * the job runner's statements (`withConnection`) alike. Kysely 0.29 ships the same design.
 */

/** A FIFO lock: each holder runs alone, in the order they asked. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve()

  async lock(): Promise<() => void> {
    let unlock!: () => void
    const held = new Promise<void>((resolve) => (unlock = resolve))
    const before = this.#tail
    this.#tail = before.then(() => held)
    await before
    return unlock
  }
}

/** The one PGlite of this process, and the lock every user of it holds. */
export class PGliteHandle {
  readonly mutex = new Mutex()
  constructor(readonly pglite: PGlite) {}

  /** Runs `fn` with the connection to itself (the job runner's SQL, a checkpoint, a backup). */
  async withConnection<T>(fn: (pglite: PGlite) => Promise<T>): Promise<T> {
    const unlock = await this.mutex.lock()
    try {
      return await fn(this.pglite)
    } finally {
      unlock()
    }
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(query.sql, [...query.parameters])
    return {
      rows: result.rows,
      ...(result.affectedRows !== undefined ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
    }
  }

  // oxlint-disable-next-line require-yield -- no cursor on PGlite; callers use pages instead
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not stream query results: read in pages.')
  }
}

class PGliteDriver implements Driver {
  #unlock: (() => void) | undefined
  readonly #connection: PGliteConnection

  constructor(private readonly handle: PGliteHandle) {
    this.#connection = new PGliteConnection(handle.pglite)
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    this.#unlock = await this.handle.mutex.lock()
    return this.#connection
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const modes = [settings.isolationLevel ? `isolation level ${settings.isolationLevel}` : '', settings.accessMode ?? ''].filter(Boolean)
    await connection.executeQuery(CompiledQuery.raw(`begin${modes.length ? ` transaction ${modes.join(' ')}` : ''}`))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }

  async releaseConnection(): Promise<void> {
    const unlock = this.#unlock
    this.#unlock = undefined
    unlock?.()
  }

  async destroy(): Promise<void> {}
}

export class PGliteDialect implements Dialect {
  constructor(private readonly handle: PGliteHandle) {}

  createAdapter() {
    return new PostgresAdapter()
  }

  createDriver(): Driver {
    return new PGliteDriver(this.handle)
  }

  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db)
  }

  createQueryCompiler() {
    return new PostgresQueryCompiler()
  }
}

import { EventEmitter } from 'node:events'
import type { Kysely, Transaction } from 'kysely'
import { jsonb } from './db/db.ts'
import type { LibraryTables } from './db/schema.ts'

/*
 * The change feed. Every write that a browser should see (a task's progress, a new sample, a favourite, a board's
 * note) records an event: a topic (which kind of thing) and the ids it touched. The row is written in the same
 * transaction as the change, so a browser that reconnects with Last-Event-ID replays exactly what it missed; the
 * in-process emitter wakes this gateway's open feeds at once. Several gateways on one PostgreSQL (team mode) add
 * LISTEN/NOTIFY on top of the same rows.
 */

/** Which query a change invalidates in the studio. */
export type Topic = 'tasks' | 'samples' | 'experiments' | 'queue' | 'prompts' | 'frames' | 'settings' | 'storage'

export interface LibraryEvent {
  id: number
  workspace: string
  topic: Topic
  ids: string[]
  at: number
}

type Db = Kysely<LibraryTables> | Transaction<LibraryTables>

export class ChangeFeed {
  readonly #emitter = new EventEmitter()

  constructor() {
    // One listener per open feed: many tabs are many listeners, not a leak.
    this.#emitter.setMaxListeners(0)
  }

  /**
   * Records a change, inside the caller's transaction when given one. Listeners hear of it once it is committed: call
   * `announce` with what this returned after the commit (a write outside a transaction is announced at once).
   */
  async record(db: Db, workspace: string, topic: Topic, ids: readonly string[]): Promise<LibraryEvent> {
    const row = await db
      .insertInto('events')
      .values({ workspace_id: workspace, topic, ids: jsonb([...ids]) })
      .returning(['id', 'at'])
      .executeTakeFirstOrThrow()
    const event: LibraryEvent = { id: row.id, workspace, topic, ids: [...ids], at: row.at.getTime() }
    if (!db.isTransaction) this.announce(event)
    return event
  }

  announce(...events: LibraryEvent[]): void {
    for (const e of events) this.#emitter.emit('event', e)
  }

  /** Calls `listener` for every event announced from now on; returns the way to stop. */
  subscribe(listener: (event: LibraryEvent) => void): () => void {
    this.#emitter.on('event', listener)
    return () => this.#emitter.off('event', listener)
  }

  /** Events after `afterId` for a workspace, oldest first (a reconnect's replay). */
  async since(db: Kysely<LibraryTables>, workspace: string, afterId: number, limit = 500): Promise<LibraryEvent[]> {
    const rows = await db
      .selectFrom('events')
      .select(['id', 'topic', 'ids', 'at'])
      .where('workspace_id', '=', workspace)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute()
    return rows.map((r) => ({ id: r.id, workspace, topic: r.topic as Topic, ids: r.ids, at: r.at.getTime() }))
  }

  /** The newest event id (a fresh feed starts from here). */
  async latestId(db: Kysely<LibraryTables>, workspace: string): Promise<number> {
    const row = await db
      .selectFrom('events')
      .select((eb) => eb.fn.max('id').as('id'))
      .where('workspace_id', '=', workspace)
      .executeTakeFirst()
    return Number(row?.id ?? 0)
  }
}

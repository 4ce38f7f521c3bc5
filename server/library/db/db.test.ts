import { afterEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { rm } from 'node:fs/promises'
import { jsonb, openLibraryDb } from './db.ts'
import { MIGRATIONS } from './migrations.ts'
import { dataPaths } from '../data-dir.ts'
import { dropSchema, ENGINES, freshDataDir, freshSchema, testDatabaseUrl, type Engine } from '../../testing/library-harness.ts'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** A library database of its own on `engine`, closed (and removed) after the test. */
async function open(engine: Engine, options: { migrated?: boolean; schema?: string } = {}) {
  const dir = await freshDataDir(options.migrated ?? true)
  const schema = options.schema ?? (engine === 'postgres' ? freshSchema() : undefined)
  const opened = await openLibraryDb({
    embeddedDir: dataPaths(dir).db,
    databaseUrl: engine === 'postgres' ? testDatabaseUrl() : undefined,
    schema,
  })
  cleanups.push(async () => {
    await opened.close()
    if (schema && !options.schema) await dropSchema(schema)
    await rm(dir, { recursive: true, force: true })
  })
  return opened
}

const task = (id: string) => ({
  workspace_id: 'local',
  id,
  provider: 'local',
  task_id: id.split(':')[1]!,
  request: { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'p' }, frames: {} },
  created_at: new Date('2026-12-01T10:00:00Z'),
  status: 'TASK_STATUS_QUEUED',
  reason: '',
})

describe.each(ENGINES)('the library database on %s', (engine) => {
  it('holds every table of the library, migrated once, and a reopen applies nothing', async () => {
    const schema = engine === 'postgres' ? freshSchema() : undefined
    const dir = await freshDataDir(false)
    const url = engine === 'postgres' ? testDatabaseUrl() : undefined
    cleanups.push(async () => {
      if (schema) await dropSchema(schema)
      await rm(dir, { recursive: true, force: true })
    })
    const first = await openLibraryDb({ embeddedDir: dataPaths(dir).db, databaseUrl: url, schema })
    expect(first.applied).toEqual(Object.keys(MIGRATIONS))
    const tables = (await first.db.introspection.getTables())
      .filter((t) => t.schema === (schema ?? 'public'))
      .map((t) => t.name)
      .sort()
    expect(tables).toEqual([
      'blobs',
      'events',
      'experiments',
      'frames',
      'prompts',
      'rate_grants',
      'rate_windows',
      'samples',
      'settings',
      'submit_queue',
      'tasks',
    ])
    await first.db.insertInto('tasks').values(task('local:a')).execute()
    await first.close()

    const again = await openLibraryDb({ embeddedDir: dataPaths(dir).db, databaseUrl: url, schema })
    expect(again.applied).toEqual([])
    expect(await again.db.selectFrom('tasks').select('id').execute()).toEqual([{ id: 'local:a' }])
    await again.close()
  }, 120_000)

  it('reads jsonb, timestamps and int8 the same way on both engines', async () => {
    const { db } = await open(engine)
    await db.insertInto('tasks').values(task('local:b')).execute()
    await db
      .insertInto('blobs')
      .values({ sha256: 'a'.repeat(64), size: 5_000_000_000, mime: 'video/mp4' })
      .execute()
    const row = await db.selectFrom('tasks').selectAll().where('id', '=', 'local:b').executeTakeFirstOrThrow()
    expect(row.request).toEqual(task('local:b').request)
    expect(row.created_at).toBeInstanceOf(Date)
    expect(row.created_at.toISOString()).toBe('2026-12-01T10:00:00.000Z')
    expect(row.dismissed).toBe(false)
    const blob = await db.selectFrom('blobs').select('size').executeTakeFirstOrThrow()
    expect(blob.size).toBe(5_000_000_000)
    const event = await db
      .insertInto('events')
      .values({ workspace_id: 'local', topic: 'samples', ids: jsonb(['x']) })
      .returning('id')
      .executeTakeFirstOrThrow()
    expect(typeof event.id).toBe('number')
  })

  it('keeps a transaction that threw out of the database, while other work goes on beside it', async () => {
    const { db } = await open(engine)
    // The trap of a PGlite dialect without a lock: a query that runs while another caller's transaction is open joins
    // it, so the rollback takes it away too (or a commit takes in what should have been rolled back).
    const failing = db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('tasks').values(task('local:rolled-back')).execute()
        await new Promise((r) => setTimeout(r, 50))
        throw new Error('boom')
      })
      .catch((e: Error) => e.message)
    const beside = db.insertInto('tasks').values(task('local:beside')).execute()
    expect(await failing).toBe('boom')
    await beside
    const ids = (await db.selectFrom('tasks').select('id').orderBy('id').execute()).map((r) => r.id)
    expect(ids).toEqual(['local:beside'])
  })

  it('refuses a second row for one task and a queue state it does not know', async () => {
    const { db } = await open(engine)
    await db.insertInto('tasks').values(task('local:c')).execute()
    await expect(db.insertInto('tasks').values(task('local:c')).execute()).rejects.toThrow(/duplicate key/)
    await expect(
      db
        .insertInto('submit_queue')
        .values({
          id: 'q1',
          workspace_id: 'local',
          created_at: new Date(),
          provider: 'local',
          request: {},
          model_path: 'm',
          body: {},
          priority: 0,
          state: 'lost',
        })
        .execute(),
    ).rejects.toThrow(/check constraint/)
  })

  it('has the index the gallery pages by: newest first, deleted samples left out', async () => {
    const { db } = await open(engine)
    const indexes = await sql<{ indexdef: string }>`select indexdef from pg_indexes where indexname = 'samples_list'`.execute(db)
    expect(indexes.rows[0]?.indexdef).toMatch(/\(workspace_id, created_at DESC, id DESC\) WHERE \(deleted_at IS NULL\)/)
  })
})

describe('the PostgreSQL connection', () => {
  it('says where it failed without the password, when the database cannot be reached', async () => {
    const err = await openLibraryDb({ embeddedDir: '', databaseUrl: 'postgres://studio:hunter2-secret@127.0.0.1:9/none' }).catch(
      (e: Error) => e,
    )
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).message).toMatch(/Could not reach the PostgreSQL at DATABASE_URL/)
    expect((err as Error).message).not.toContain('hunter2-secret')
  })

  it('refuses a schema name that is not a plain name', async () => {
    await expect(openLibraryDb({ embeddedDir: '', databaseUrl: testDatabaseUrl(), schema: 'x; drop table y' })).rejects.toThrow(
      /plain schema name/,
    )
  })
})

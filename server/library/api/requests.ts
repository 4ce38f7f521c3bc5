import { Hono } from 'hono'
import { sql, type Transaction } from 'kysely'
import * as z from 'zod'
import type PgBoss from 'pg-boss'
import { contractErrorResponse } from '../../errors.ts'
import { jsonb } from '../db/db.ts'
import type { LibraryTables, QueueRow } from '../db/schema.ts'
import type { Library } from '../library.ts'
import { sendTurn } from '../runner/jobs.ts'
import { isStorable, storableJson, storableText, type LibraryEnv } from './http.ts'

/*
 * The submit queue's door: the studio hands the gateway requests (a Generate, a Retry, every cell of a sweep), each
 * with the exact body it prepared, frames by hash, and an id that is its idempotency key: sent again (a reload, a
 * dropped connection), the same id is the same request. Cancel sweep takes back what is still waiting; Undo puts it
 * back in line. The runner does the sending.
 */

const requestSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{8,80}$/, 'an id of 8–80 letters, digits, - or _ (a UUID)'),
  provider: z.enum(['local', 'jiekou']),
  modelPath: z.string().regex(/^\/v3\/async\/[a-z0-9.-]+$/, 'a provider path such as /v3/async/veo-3.1-generate-firstlastframe'),
  request: storableJson(
    z.object({ modelId: z.string(), params: z.record(z.string(), z.unknown()), frames: z.record(z.string(), z.unknown()) }),
  ),
  body: storableJson(z.record(z.string(), z.unknown())),
  priority: z.enum(['single', 'sweep']),
  experimentId: storableText(80).optional(),
  cell: z.object({ row: z.number().int().min(0), col: z.number().int().min(0) }).optional(),
  retryOf: storableText(200).optional(),
})
const addSchema = z.object({ requests: z.array(requestSchema).min(1).max(256) })
const idsSchema = z.object({ ids: z.array(storableText(80)).min(1).max(256) })

export const queueItemOf = (r: QueueRow) => ({
  id: r.id,
  createdAt: r.created_at.getTime(),
  provider: r.provider,
  request: r.request,
  priority: r.priority === 0 ? 'single' : 'sweep',
  state: r.state,
  attempts: r.attempts,
  sentAt: r.sent_at?.getTime(),
  notBefore: r.not_before?.getTime(),
  error: r.error ?? undefined,
  experimentId: r.experiment_id ?? undefined,
  cell: r.cell ?? undefined,
  retryOf: r.retry_of ?? undefined,
  taskRecordId: r.task_record_id ?? undefined,
})

/** Zod's first issue, as a sentence that names the field. */
const wordsOf = (error: z.ZodError) => {
  const issue = error.issues[0]!
  return `${issue.path.join('.') || 'The body'}: ${issue.message}.`
}

export function requestRoutes(library: Library, boss: () => PgBoss | undefined): Hono<LibraryEnv> {
  const app = new Hono<LibraryEnv>()
  const { db } = library.store

  app.post('/', async (c) => {
    const parsed = addSchema.safeParse(await c.req.json().catch(() => undefined))
    if (!parsed.success)
      return contractErrorResponse(c, 400, 'INVALID_REQUEST_BODY', `The requests could not be queued. ${wordsOf(parsed.error)}`, {
        detail: JSON.stringify(parsed.error.issues.slice(0, 3)),
      })
    const runner = boss()
    if (!runner)
      return contractErrorResponse(c, 503, 'SERVICE_NOT_AVAILABLE', 'The gateway is starting its runner. Try again in a few seconds.')
    const ws = c.get('workspace')
    const ids = parsed.data.requests.map((r) => r.id)
    const { items, event } = await db.transaction().execute(async (trx) => {
      const now = Date.now()
      for (const [i, r] of parsed.data.requests.entries())
        await trx
          .insertInto('submit_queue')
          .values({
            workspace_id: ws,
            id: r.id,
            // Apart by a microsecond each, so a sweep's cells keep their order in line.
            created_at: new Date(now + i),
            provider: r.provider,
            request: jsonb(r.request),
            model_path: r.modelPath,
            body: jsonb(r.body),
            priority: r.priority === 'single' ? 0 : 1,
            state: 'queued',
            experiment_id: r.experimentId ?? null,
            cell: r.cell ? jsonb(r.cell) : null,
            retry_of: r.retryOf ?? null,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute()
      for (const r of parsed.data.requests) await sendTurn(runner, r.provider, undefined, r.priority === 'single' ? 1 : 0, trx)
      const queued = await trx.selectFrom('submit_queue').selectAll().where('workspace_id', '=', ws).where('id', 'in', ids).execute()
      return { items: queued.map(queueItemOf), event: await library.feed.record(trx, ws, 'queue', ids) }
    })
    library.feed.announce(event)
    return c.json({ items })
  })

  app.get('/', async (c) => {
    const ws = c.get('workspace')
    const rows = await db
      .selectFrom('submit_queue')
      .selectAll()
      .where('workspace_id', '=', ws)
      .where('state', 'in', ['queued', 'sending', 'failed'])
      .orderBy('priority')
      .orderBy('created_at')
      .limit(1000)
      .execute()
    return c.json({ items: rows.map(queueItemOf) })
  })

  app.get('/:id', async (c) => {
    const ws = c.get('workspace')
    const id = c.req.param('id')
    // An id no request could have (a NUL, half a surrogate pair, too long) is not looked up: the database refuses it.
    const row =
      id.length <= 80 && isStorable(id)
        ? await db.selectFrom('submit_queue').selectAll().where('workspace_id', '=', ws).where('id', '=', id).executeTakeFirst()
        : undefined
    if (!row) return contractErrorResponse(c, 404, 'NOT_FOUND', 'No such request: it may have been cancelled and cleared.')
    return c.json(queueItemOf(row))
  })

  /** Cancel: what still waits is taken out (a request already out finishes, and is never sent again). */
  app.post('/cancel', async (c) => {
    const parsed = idsSchema.safeParse(await c.req.json().catch(() => undefined))
    if (!parsed.success) return contractErrorResponse(c, 400, 'INVALID_REQUEST_BODY', `Nothing was cancelled. ${wordsOf(parsed.error)}`)
    return c.json({ ids: await move(library, c.get('workspace'), parsed.data.ids, ['queued', 'sending'], 'cancelled') })
  })

  /** Undo of a cancel: back in line, in their old places. */
  app.post('/restore', async (c) => {
    const parsed = idsSchema.safeParse(await c.req.json().catch(() => undefined))
    if (!parsed.success) return contractErrorResponse(c, 400, 'INVALID_REQUEST_BODY', `Nothing was put back. ${wordsOf(parsed.error)}`)
    const runner = boss()
    const ids = await move(library, c.get('workspace'), parsed.data.ids, ['cancelled'], 'queued', async (row, trx) => {
      if (runner) await sendTurn(runner, row.provider, undefined, row.priority === 0 ? 1 : 0, trx)
    })
    return c.json({ ids })
  })

  return app
}

async function move(
  library: Library,
  ws: string,
  ids: string[],
  from: string[],
  to: 'cancelled' | 'queued',
  then?: (row: QueueRow, trx: Transaction<LibraryTables>) => Promise<void>,
): Promise<string[]> {
  const { rows, event } = await library.store.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('submit_queue')
      .set({ state: to, updated_at: sql`now()`, ...(to === 'queued' ? { not_before: null } : {}) })
      .where('workspace_id', '=', ws)
      .where('id', 'in', ids)
      .where('state', 'in', from)
      // A request cancelled while it was out has become a task: putting it back would send it a second time.
      .where('task_record_id', 'is', null)
      .returningAll()
      .execute()
    for (const row of moved) await then?.(row, trx)
    const recorded = moved.length
      ? await library.feed.record(
          trx,
          ws,
          'queue',
          moved.map((r) => r.id),
        )
      : undefined
    return { rows: moved, event: recorded }
  })
  if (event) library.feed.announce(event)
  return rows.map((r) => r.id)
}

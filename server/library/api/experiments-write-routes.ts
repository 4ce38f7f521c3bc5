import { Hono } from 'hono'
import { isDeepStrictEqual } from 'node:util'
import * as z from 'zod'
import { ContractError } from '../../errors.ts'
import { jsonb } from '../db/db.ts'
import type { ExperimentRow } from '../db/schema.ts'
import { findAnyExperiment, insertExperiment, restoreExperiment, softDeleteExperiment } from '../db/queries/experiments.ts'
import { cancelWaitingOfExperiment } from '../db/queries/queue.ts'
import type { Library } from '../library.ts'
import { PURGE_GRACE_MS } from '../runner/purge.ts'
import { bodyObject, idParam, notFound, readJson, textField, type LibraryEnv } from './http.ts'
import { experimentColumn, MAX_PROMPT_CHARS, msTime, storedRequest } from './record-schemas.ts'
import { experimentJson } from './records.ts'

/*
 * Run sweep, Delete experiment and its Undo. A new board is written with the id the studio gave it, so a create sent
 * again (a reload, a dropped connection) is the same board. Delete is soft: the board, its tasks and their samples
 * leave every read, and its requests still waiting are taken out of line (their ids come back, for Undo to put them
 * back with POST /requests/restore); restore brings the board back, and the purge removes it for good after
 * PURGE_GRACE_MS.
 */

/** As many prompt variants as the sweep field makes (src/features/experiments/sweep.ts), and room for many seeds. */
const MAX_ROWS = 64
const MAX_COLUMNS = 1024
const EXAMPLE =
  '{"id": "9b2f…", "name": "Dusk vs dawn", "base": {"modelId": "…", "params": {…}, "frames": {…}}, "rows": ["a lighthouse at dusk"], "columns": [{"seed": 42}]}'

const createBody = bodyObject(
  {
    id: z
      .string({ error: '"id" must be text: the experiment\'s id, 8–80 letters, digits, - or _ (a UUID).' })
      .regex(/^[A-Za-z0-9_-]{8,80}$/, { error: '"id" must be 8–80 letters, digits, - or _ (a UUID, as the studio makes).' }),
    name: textField('"name"', 200)
      .transform((s) => s.trim())
      .refine((s) => s !== '', { error: '"name" is empty: give the experiment a name.' }),
    base: storedRequest('"base"'),
    rows: z
      .array(textField('A row', MAX_PROMPT_CHARS), {
        error: '"rows" must be a list of the prompt variants, such as ["a lighthouse at dusk"].',
      })
      .min(1, { error: '"rows" is empty: a board has at least one prompt.' })
      .max(MAX_ROWS, { error: `"rows" holds more than ${MAX_ROWS} prompts, more than a sweep makes: send at most ${MAX_ROWS}.` }),
    columns: z
      .array(experimentColumn, { error: '"columns" must be a list of columns, such as [{"seed": 42}].' })
      .min(1, { error: '"columns" is empty: a board has at least one column.' })
      .max(MAX_COLUMNS, { error: `"columns" holds more than ${MAX_COLUMNS} columns: send at most ${MAX_COLUMNS}.` }),
    createdAt: msTime('"createdAt"').optional(),
  },
  EXAMPLE,
)
type NewExperiment = z.output<typeof createBody>

/** Whether a stored board is the one this create describes (its time aside when the create left it out). */
const sameBoard = (row: ExperimentRow, e: NewExperiment) =>
  row.name === e.name &&
  isDeepStrictEqual(row.base, e.base) &&
  isDeepStrictEqual(row.rows, e.rows) &&
  isDeepStrictEqual(row.columns, JSON.parse(JSON.stringify(e.columns))) &&
  (e.createdAt === undefined || row.created_at.getTime() === e.createdAt)

const graceWords = `${PURGE_GRACE_MS / 60_000} minutes`

export function experimentWriteRoutes(library: Library): Hono<LibraryEnv> {
  const { db } = library.store
  const app = new Hono<LibraryEnv>()

  app.post('/', async (c) => {
    const e = await readJson(c, createBody, { maxBytes: 1024 * 1024, purpose: 'a board', example: EXAMPLE })
    const ws = c.get('workspace')
    const done = await db.transaction().execute(async (trx) => {
      const row = await insertExperiment(trx, {
        workspace_id: ws,
        id: e.id,
        name: e.name,
        created_at: new Date(e.createdAt ?? Date.now()),
        base: jsonb(e.base),
        rows: jsonb(e.rows),
        columns: jsonb(e.columns),
        marks: jsonb({}),
      })
      return row && { row, event: await library.feed.record(trx, ws, 'experiments', [e.id]) }
    })
    if (done) {
      library.feed.announce(done.event)
      return c.json(experimentJson(done.row), 201)
    }
    // The id is taken: the same board sent again is answered as it is; anything else is a conflict.
    const held = await findAnyExperiment(db, ws, e.id)
    if (held && !held.deleted_at && sameBoard(held, e)) return c.json(experimentJson(held), 200)
    throw new ContractError(
      409,
      'INVALID_REQUEST_BODY',
      held?.deleted_at
        ? `The experiment ${e.id} was deleted: restore it with POST /experiments/${e.id}/restore, or give the new board a new id.`
        : `An experiment ${e.id} already exists with other content: give the new board a new id.`,
      { id: e.id },
    )
  })

  app.delete('/:id', async (c) => {
    const id = idParam(c, 'id', 'experiment')
    const ws = c.get('workspace')
    const at = new Date()
    const done = await db.transaction().execute(async (trx) => {
      const row = await softDeleteExperiment(trx, ws, id, at)
      if (!row) return undefined
      const cancelled = await cancelWaitingOfExperiment(trx, ws, id)
      const events = [await library.feed.record(trx, ws, 'experiments', [id])]
      // Its tasks leave the strip and its samples the gallery: both lists read again.
      events.push(await library.feed.record(trx, ws, 'tasks', []), await library.feed.record(trx, ws, 'samples', []))
      if (cancelled.length) events.push(await library.feed.record(trx, ws, 'queue', cancelled))
      return { row, cancelled, events }
    })
    if (done) {
      library.feed.announce(...done.events)
      return c.json({ id, deletedAt: at.getTime(), cancelled: done.cancelled })
    }
    // Deleted already (another tab, a second press): it keeps its first stamp, and nothing more is cancelled.
    const held = await findAnyExperiment(db, ws, id)
    if (!held?.deleted_at) throw notFound('experiment', id)
    return c.json({ id, deletedAt: held.deleted_at.getTime(), cancelled: [] })
  })

  app.post('/:id/restore', async (c) => {
    const id = idParam(c, 'id', 'experiment')
    const ws = c.get('workspace')
    const done = await db.transaction().execute(async (trx) => {
      const row = await restoreExperiment(trx, ws, id)
      if (!row) return undefined
      const events = [
        await library.feed.record(trx, ws, 'experiments', [id]),
        await library.feed.record(trx, ws, 'tasks', []),
        await library.feed.record(trx, ws, 'samples', []),
      ]
      return { row, events }
    })
    if (done) {
      library.feed.announce(...done.events)
      return c.json(experimentJson(done.row))
    }
    const held = await findAnyExperiment(db, ws, id)
    if (!held) throw notFound('experiment', id, `it was never here, or was deleted more than ${graceWords} ago and removed for good.`)
    return c.json(experimentJson(held))
  })

  return app
}

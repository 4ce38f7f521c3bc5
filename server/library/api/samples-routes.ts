import { Hono } from 'hono'
import * as z from 'zod'
import type { Library } from '../library.ts'
import type { SampleRow } from '../db/schema.ts'
import {
  countSamples,
  findSample,
  listSamples,
  restoreSample,
  restoreSamples,
  setFavourite,
  setFavourites,
  softDeleteSample,
  softDeleteSamples,
  type SampleFilters,
} from '../db/queries/samples.ts'
import { bodyObject, idList, idParam, notFound, parseQuery, queryObject, readJson, textField, type LibraryEnv } from './http.ts'
import { pageJson, pageParams } from './page.ts'
import { sampleJson } from './records.ts'

/*
 * The gallery: pages of samples with its filters, their count, and the designer's favourite, delete and undo, on one
 * sample (its card) or on a selection (the selection bar: POST /samples/favourite, /samples/delete, /samples/restore).
 */

const filterParams = {
  favourite: z
    .enum(['1', '0', 'true', 'false'], { error: '"favourite" must be 1 (favourites only) or 0 (the others); leave it out for all.' })
    .transform((v) => v === '1' || v === 'true')
    .optional(),
  model: textField('"model"', 200).optional(),
  provider: z.enum(['local', 'jiekou'], { error: '"provider" must be local or jiekou; leave it out for both.' }).optional(),
  q: textField('"q"', 500).optional(),
  experiment: textField('"experiment"', 200).optional(),
}
const countQuery = queryObject(filterParams)
const listQuery = queryObject({ ...filterParams, ...pageParams })

const toFilters = (q: z.output<typeof countQuery>): SampleFilters => ({
  favourite: q.favourite,
  modelId: q.model,
  provider: q.provider,
  text: q.q,
  experimentId: q.experiment,
})

const favouriteBody = bodyObject(
  { favourite: z.boolean({ error: '"favourite" must be true or false: send {"favourite": true} to mark the sample.' }) },
  '{"favourite": true}',
)

/** A selection: up to 1,000 samples at once (the gallery selects what it shows; more is sent in parts). */
export const MAX_SELECTION = 1000
const ids = idList('"ids"', 'sample', MAX_SELECTION, '["local:abc#0"]')
const SELECTION_LIMITS = { maxBytes: 1024 * 1024, purpose: 'a selection of samples' }
const FAVOURITES_EXAMPLE = '{"ids": ["local:abc#0"], "favourite": true}'
const favouritesBody = bodyObject(
  {
    ids,
    favourite: z.boolean({ error: '"favourite" must be true or false: send true to mark the samples, false to unmark them.' }),
  },
  FAVOURITES_EXAMPLE,
)
const IDS_EXAMPLE = '{"ids": ["local:abc#0"]}'
const idsBody = bodyObject({ ids }, IDS_EXAMPLE)
const RESTORE_EXAMPLE = '{"ids": ["local:abc#0"], "deletedAt": 1767225600000}'
const restoreBody = bodyObject(
  {
    ids,
    deletedAt: z
      .number({
        error: '"deletedAt" must be the deletion\'s time in ms, as POST /samples/delete answered it; leave it out to restore any.',
      })
      .int({ error: '"deletedAt" must be a whole number of ms, as POST /samples/delete answered it.' })
      .min(0, { error: '"deletedAt" must be the deletion\'s time in ms, as POST /samples/delete answered it.' })
      .max(8.64e15, { error: '"deletedAt" must be the deletion\'s time in ms, as POST /samples/delete answered it.' })
      .optional(),
  },
  RESTORE_EXAMPLE,
)

/** The ids of `changed`, in the order the selection gave them (once each). */
const inOrder = (asked: readonly string[], changed: Iterable<string>) => {
  const done = new Set(changed)
  return [...new Set(asked)].filter((id) => done.has(id))
}

export function sampleRoutes(library: Library): Hono<LibraryEnv> {
  const { db } = library.store
  const app = new Hono<LibraryEnv>()

  /** A write and its change-feed event in one transaction; the event is announced once committed. */
  const write = async (ws: string, id: string, change: (trx: typeof db) => Promise<SampleRow | undefined>) => {
    const done = await db.transaction().execute(async (trx) => {
      const row = await change(trx)
      return row && { row, event: await library.feed.record(trx, ws, 'samples', [id]) }
    })
    if (done) library.feed.announce(done.event)
    return done?.row
  }

  /** Many samples and their change-feed event (the ids it changed) in one transaction, announced once committed. */
  const writeMany = async <T>(ws: string, change: (trx: typeof db) => Promise<{ result: T; changed: string[] }>) => {
    const done = await db.transaction().execute(async (trx) => {
      const { result, changed } = await change(trx)
      return { result, event: changed.length ? await library.feed.record(trx, ws, 'samples', changed) : undefined }
    })
    if (done.event) library.feed.announce(done.event)
    return done.result
  }

  // The selection bar's marks. Ids that name no sample (or a deleted one) are left out of the answer, not refused: the
  // selection may hold a sample another tab has just deleted.
  app.post('/favourite', async (c) => {
    const body = await readJson(c, favouritesBody, { ...SELECTION_LIMITS, example: FAVOURITES_EXAMPLE })
    const ws = c.get('workspace')
    const rows = await writeMany(ws, async (trx) => {
      const changed = await setFavourites(trx, ws, body.ids, body.favourite)
      return { result: changed, changed: changed.map((r) => r.id) }
    })
    const byId = new Map(rows.map((r) => [r.id, r]))
    return c.json({ items: inOrder(body.ids, byId.keys()).map((id) => sampleJson(byId.get(id)!)) })
  })

  // One stamp for the whole selection, so one Undo (POST /samples/restore with it) brings exactly these back.
  app.post('/delete', async (c) => {
    const body = await readJson(c, idsBody, { ...SELECTION_LIMITS, example: IDS_EXAMPLE })
    const ws = c.get('workspace')
    const at = new Date()
    const deleted = await writeMany(ws, async (trx) => {
      const changed = await softDeleteSamples(trx, ws, body.ids, at)
      return { result: changed, changed }
    })
    return c.json({ ids: inOrder(body.ids, deleted), deletedAt: at.getTime() })
  })

  app.post('/restore', async (c) => {
    const body = await readJson(c, restoreBody, { ...SELECTION_LIMITS, example: RESTORE_EXAMPLE })
    const ws = c.get('workspace')
    const stamp = body.deletedAt === undefined ? undefined : new Date(body.deletedAt)
    const restored = await writeMany(ws, async (trx) => {
      const changed = await restoreSamples(trx, ws, body.ids, stamp)
      return { result: changed, changed }
    })
    return c.json({ ids: inOrder(body.ids, restored) })
  })

  app.get('/', async (c) => {
    const q = parseQuery(c, listQuery)
    const page = await listSamples(db, c.get('workspace'), toFilters(q), { limit: q.limit, after: q.cursor })
    return c.json(pageJson(page, sampleJson))
  })

  app.get('/count', async (c) => {
    const q = parseQuery(c, countQuery)
    return c.json({ count: await countSamples(db, c.get('workspace'), toFilters(q)) })
  })

  app.get('/:id', async (c) => {
    const id = idParam(c, 'id', 'sample')
    const row = await findSample(db, c.get('workspace'), id)
    if (!row || row.deleted_at) throw notFound('sample', id)
    return c.json(sampleJson(row))
  })

  app.patch('/:id', async (c) => {
    const id = idParam(c, 'id', 'sample')
    const body = await readJson(c, favouriteBody, { maxBytes: 4 * 1024, purpose: 'a favourite mark', example: '{"favourite": true}' })
    const ws = c.get('workspace')
    const row = await write(ws, id, (trx) => setFavourite(trx, ws, id, body.favourite))
    if (!row) throw notFound('sample', id)
    return c.json(sampleJson(row))
  })

  // Soft: the sample leaves every read, and POST …/restore brings it back until a later job purges it.
  app.delete('/:id', async (c) => {
    const id = idParam(c, 'id', 'sample')
    const ws = c.get('workspace')
    const row = await write(ws, id, (trx) => softDeleteSample(trx, ws, id, new Date()))
    if (row) return c.json(sampleJson(row))
    // Deleted already (another tab, a second press): it keeps its first stamp, and its own Undo.
    const held = await findSample(db, ws, id)
    if (!held) throw notFound('sample', id)
    return c.json(sampleJson(held))
  })

  app.post('/:id/restore', async (c) => {
    const id = idParam(c, 'id', 'sample')
    const ws = c.get('workspace')
    const row = await write(ws, id, (trx) => restoreSample(trx, ws, id))
    if (row) return c.json(sampleJson(row))
    const held = await findSample(db, ws, id)
    if (!held) throw notFound('sample', id, 'its undo window has passed and it was removed for good.')
    return c.json(sampleJson(held))
  })

  return app
}

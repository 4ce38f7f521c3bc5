import { Hono } from 'hono'
import * as z from 'zod'
import type { Library } from '../library.ts'
import type { SampleRow } from '../db/schema.ts'
import {
  countSamples,
  findSample,
  listSamples,
  restoreSample,
  setFavourite,
  softDeleteSample,
  type SampleFilters,
} from '../db/queries/samples.ts'
import { bodyObject, idParam, notFound, parseQuery, queryObject, readJson, textField, type LibraryEnv } from './http.ts'
import { pageJson, pageParams } from './page.ts'
import { sampleJson } from './records.ts'

/* The gallery: pages of samples with its filters, their count, and the designer's favourite, delete and undo. */

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

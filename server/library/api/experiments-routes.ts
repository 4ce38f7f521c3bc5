import { Hono } from 'hono'
import * as z from 'zod'
import { ContractError } from '../../errors.ts'
import type { Library } from '../library.ts'
import { findExperiment, listExperiments, updateExperiment } from '../db/queries/experiments.ts'
import { samplesOfTasks } from '../db/queries/samples.ts'
import { tasksOfExperiment } from '../db/queries/tasks.ts'
import { bodyObject, idParam, notFound, parseQuery, queryObject, readJson, textField, type LibraryEnv } from './http.ts'
import { pageJson, pageParams } from './page.ts'
import { experimentJson, sampleJson, taskJson } from './records.ts'

/* Sweeps and their boards: the list, one board with its tasks and samples, and its name, winners and notes. */

export const MAX_NOTE_CHARS = 10_000
const EXAMPLE = '{"marks": {"0:1": {"winner": true, "note": "best light"}}}'

const cellMarks = z.strictObject(
  {
    winner: z.boolean({ error: 'A mark\'s "winner" must be true or false.' }).optional(),
    note: textField('A note', MAX_NOTE_CHARS).optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `A cell's marks take only "winner" and "note": remove ${issue.keys.map((k) => `"${k}"`).join(', ')}.`
        : `Each cell's marks must be an object such as {"winner": true, "note": "best light"}.`,
  },
)

const patchBody = bodyObject(
  {
    name: textField('"name"', 200)
      .transform((s) => s.trim())
      .refine((s) => s !== '', { error: '"name" is empty: give the experiment a name, or leave "name" out.' })
      .optional(),
    marks: z.record(z.string(), cellMarks, { error: '"marks" must be an object of cells, such as {"0:1": {"winner": true}}.' }).optional(),
  },
  EXAMPLE,
)

type CellMarks = z.output<typeof cellMarks>

/** Each cell's marks merged over the stored ones (a note sent alone keeps the winner, and the other way round). */
export function mergeMarks(stored: Record<string, unknown>, change: Record<string, CellMarks>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stored }
  for (const [cell, marks] of Object.entries(change)) {
    const before = stored[cell]
    merged[cell] = { ...(before !== null && typeof before === 'object' ? before : {}), ...marks }
  }
  return merged
}

/** A cell key names a cell of this board: "row:col", within its rows and columns. */
function checkCells(keys: readonly string[], rows: number, columns: number): void {
  for (const key of keys) {
    const m = /^(\d{1,6}):(\d{1,6})$/.exec(key)
    if (!m)
      throw new ContractError(
        400,
        'INVALID_REQUEST_BODY',
        `"marks" has the key "${key.slice(0, 40)}", which is not a cell: use "row:col", such as "0:1".`,
      )
    if (Number(m[1]) >= rows || Number(m[2]) >= columns)
      throw new ContractError(
        400,
        'INVALID_REQUEST_BODY',
        `"marks" has the cell "${key}", which is outside this board (${rows} rows × ${columns} columns, counted from 0): use a cell of the board.`,
      )
  }
}

export function experimentRoutes(library: Library): Hono<LibraryEnv> {
  const { db } = library.store
  const app = new Hono<LibraryEnv>()
  const listQuery = queryObject(pageParams)

  app.get('/', async (c) => {
    const q = parseQuery(c, listQuery)
    return c.json(pageJson(await listExperiments(db, c.get('workspace'), { limit: q.limit, after: q.cursor }), experimentJson))
  })

  app.get('/:id', async (c) => {
    const id = idParam(c, 'id', 'experiment')
    const ws = c.get('workspace')
    const experiment = await findExperiment(db, ws, id)
    if (!experiment) throw notFound('experiment', id)
    const tasks = await tasksOfExperiment(db, ws, id)
    const samples = await samplesOfTasks(
      db,
      ws,
      tasks.map((t) => t.id),
    )
    return c.json({ experiment: experimentJson(experiment), tasks: tasks.map(taskJson), samples: samples.map(sampleJson) })
  })

  app.patch('/:id', async (c) => {
    const id = idParam(c, 'id', 'experiment')
    // A board's notes, up to 10,000 characters each, fit well within this; a bigger body is not a board's.
    const body = await readJson(c, patchBody, { maxBytes: 1024 * 1024, purpose: "a board's name, winners and notes", example: EXAMPLE })
    // Nothing to set is no update the database can run (a 500 before): say what a change holds.
    if (body.name === undefined && body.marks === undefined)
      throw new ContractError(400, 'INVALID_REQUEST_BODY', `The body changes nothing: send "name", "marks" or both, such as ${EXAMPLE}.`)
    const ws = c.get('workspace')
    const done = await db.transaction().execute(async (trx) => {
      // Read and write under the row's lock, so two quick edits from two tabs both stay.
      const held = await findExperiment(trx, ws, id, { forUpdate: true })
      if (!held) throw notFound('experiment', id)
      if (body.marks) checkCells(Object.keys(body.marks), held.rows.length, held.columns.length)
      const row = await updateExperiment(trx, ws, id, {
        name: body.name,
        marks: body.marks && mergeMarks(held.marks, body.marks),
      })
      if (!row) throw notFound('experiment', id)
      return { row, event: await library.feed.record(trx, ws, 'experiments', [id]) }
    })
    library.feed.announce(done.event)
    return c.json(experimentJson(done.row))
  })

  return app
}

import { Hono } from 'hono'
import type { Library } from '../library.ts'
import { listPrompts, recordPromptUse } from '../db/queries/prompts.ts'
import { bodyObject, parseQuery, queryObject, readJson, textField, type LibraryEnv } from './http.ts'
import { pageJson, pageParams } from './page.ts'
import { MAX_PROMPT_CHARS } from './record-schemas.ts'
import { promptJson } from './records.ts'

/*
 * The prompt history behind the Prompt field: the most recently used first, filtered by the words typed; and one use
 * recorded (the runner records the prompts it sends itself; this is for a prompt used another way).
 */

const listQuery = queryObject({ q: textField('"q"', 500).optional(), ...pageParams })

const EXAMPLE = '{"text": "a lighthouse at dusk"}'
const useBody = bodyObject(
  {
    text: textField('"text"', MAX_PROMPT_CHARS)
      .transform((s) => s.trim())
      .refine((s) => s !== '', { error: '"text" is empty: send the prompt that was used.' }),
  },
  EXAMPLE,
)

export function promptRoutes(library: Library): Hono<LibraryEnv> {
  const { db } = library.store
  const app = new Hono<LibraryEnv>()
  app.get('/', async (c) => {
    const q = parseQuery(c, listQuery)
    const page = await listPrompts(db, c.get('workspace'), q.q ?? '', { limit: q.limit, after: q.cursor })
    return c.json(pageJson(page, promptJson))
  })

  app.post('/', async (c) => {
    const body = await readJson(c, useBody, { maxBytes: 64 * 1024, purpose: 'a prompt', example: EXAMPLE })
    const ws = c.get('workspace')
    const done = await db.transaction().execute(async (trx) => {
      const row = await recordPromptUse(trx, ws, body.text, new Date())
      return { row, event: await library.feed.record(trx, ws, 'prompts', []) }
    })
    library.feed.announce(done.event)
    return c.json(promptJson(done.row))
  })
  return app
}

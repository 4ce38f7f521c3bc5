import { Hono } from 'hono'
import type { Library } from '../library.ts'
import { listPrompts } from '../db/queries/prompts.ts'
import { parseQuery, queryObject, textField, type LibraryEnv } from './http.ts'
import { pageJson, pageParams } from './page.ts'
import { promptJson } from './records.ts'

/* The prompt history behind the Prompt field: the most recently used first, filtered by the words typed. */

const listQuery = queryObject({ q: textField('"q"', 500).optional(), ...pageParams })

export function promptRoutes(library: Library): Hono<LibraryEnv> {
  const app = new Hono<LibraryEnv>()
  app.get('/', async (c) => {
    const q = parseQuery(c, listQuery)
    const page = await listPrompts(library.store.db, c.get('workspace'), q.q ?? '', { limit: q.limit, after: q.cursor })
    return c.json(pageJson(page, promptJson))
  })
  return app
}

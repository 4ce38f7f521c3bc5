import { Hono } from 'hono'
import * as z from 'zod'
import type { Library } from '../library.ts'
import { findTask, listTasks } from '../db/queries/tasks.ts'
import { idParam, notFound, parseQuery, queryObject, type LibraryEnv } from './http.ts'
import { pageJson, pageParams } from './page.ts'
import { taskJson } from './records.ts'

/* The task strip: pages of tasks, newest first, and one task. Tasks are written by the runner, not here. */

const listQuery = queryObject({
  visible: z
    .enum(['1', '0', 'true', 'false'], { error: '"visible" must be 1 (leave out dismissed tasks) or 0; leave it out for all.' })
    .transform((v) => v === '1' || v === 'true')
    .optional(),
  ...pageParams,
})

export function taskRoutes(library: Library): Hono<LibraryEnv> {
  const { db } = library.store
  const app = new Hono<LibraryEnv>()

  app.get('/', async (c) => {
    const q = parseQuery(c, listQuery)
    const page = await listTasks(db, c.get('workspace'), { visibleOnly: q.visible === true }, { limit: q.limit, after: q.cursor })
    return c.json(pageJson(page, taskJson))
  })

  app.get('/:id', async (c) => {
    const id = idParam(c, 'id', 'task')
    const row = await findTask(db, c.get('workspace'), id)
    if (!row) throw notFound('task', id, 'check the id, which names its provider, as in "local:<task id>".')
    return c.json(taskJson(row))
  })

  return app
}

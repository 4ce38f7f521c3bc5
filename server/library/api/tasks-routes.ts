import { Hono } from 'hono'
import type PgBoss from 'pg-boss'
import * as z from 'zod'
import { ContractError } from '../../errors.ts'
import type { Library } from '../library.ts'
import { dismissFinishedTasks, dismissTask, findTask, listTasks, resumeTask } from '../db/queries/tasks.ts'
import { sendPoll } from '../runner/jobs.ts'
import { idParam, notFound, parseQuery, queryObject, type LibraryEnv } from './http.ts'
import { pageJson, pageParams } from './page.ts'
import { taskJson } from './records.ts'

/*
 * The task strip: pages of tasks, newest first, and one task; Dismiss, Clear finished, and Resume of a stalled task.
 * Tasks are written by the runner (and by an import), not here.
 */

const listQuery = queryObject({
  visible: z
    .enum(['1', '0', 'true', 'false'], { error: '"visible" must be 1 (leave out dismissed tasks) or 0; leave it out for all.' })
    .transform((v) => v === '1' || v === 'true')
    .optional(),
  ...pageParams,
})

const NO_TASK = 'check the id, which names its provider, as in "local:<task id>".'

export function taskRoutes(library: Library, boss: () => PgBoss | undefined): Hono<LibraryEnv> {
  const { db } = library.store
  const app = new Hono<LibraryEnv>()

  app.get('/', async (c) => {
    const q = parseQuery(c, listQuery)
    const page = await listTasks(db, c.get('workspace'), { visibleOnly: q.visible === true }, { limit: q.limit, after: q.cursor })
    return c.json(pageJson(page, taskJson))
  })

  /** Clear finished: every task whose status is final leaves the strip; running and stalled ones stay. */
  app.post('/dismiss-finished', async (c) => {
    const ws = c.get('workspace')
    const done = await db.transaction().execute(async (trx) => {
      const ids = await dismissFinishedTasks(trx, ws)
      return { count: ids.length, event: ids.length ? await library.feed.record(trx, ws, 'tasks', ids) : undefined }
    })
    if (done.event) library.feed.announce(done.event)
    return c.json({ count: done.count })
  })

  app.get('/:id', async (c) => {
    const id = idParam(c, 'id', 'task')
    const row = await findTask(db, c.get('workspace'), id)
    if (!row) throw notFound('task', id, NO_TASK)
    return c.json(taskJson(row))
  })

  /** Hidden from the strip (its samples stay in the gallery). A second press answers the same. */
  app.post('/:id/dismiss', async (c) => {
    const id = idParam(c, 'id', 'task')
    const ws = c.get('workspace')
    const done = await db.transaction().execute(async (trx) => {
      const row = await dismissTask(trx, ws, id)
      return row && { row, event: await library.feed.record(trx, ws, 'tasks', [id]) }
    })
    if (!done) throw notFound('task', id, NO_TASK)
    library.feed.announce(done.event)
    return c.json(taskJson(done.row))
  })

  /**
   * Resume: polling gave up on a task after failures in a row (`stalled`); it is followed again at once, by the same
   * rule. A task that is not stalled is answered as it is (a second press, another tab): its polls go on already.
   */
  app.post('/:id/resume', async (c) => {
    const id = idParam(c, 'id', 'task')
    const ws = c.get('workspace')
    const held = await findTask(db, ws, id)
    if (!held) throw notFound('task', id, NO_TASK)
    if (!held.stalled) return c.json(taskJson(held))
    const runner = boss()
    if (!runner) throw new ContractError(503, 'SERVICE_NOT_AVAILABLE', 'The gateway is starting its runner. Try again in a few seconds.')
    const done = await db.transaction().execute(async (trx) => {
      const row = await resumeTask(trx, ws, id)
      if (!row) return undefined
      await sendPoll(runner, id, undefined, trx)
      return { row, event: await library.feed.record(trx, ws, 'tasks', [id]) }
    })
    if (!done) return c.json(taskJson((await findTask(db, ws, id)) ?? held))
    library.feed.announce(done.event)
    return c.json(taskJson(done.row))
  })

  return app
}

import { Hono, type Context } from 'hono'
import { TASK_RESULT_PATH } from '../../src/api/schemas.ts'
import type { ModelSpec } from '../../src/models/types.ts'
import type { EngineConfig } from '../config.ts'
import { ContractError, contractErrorResponse } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { isTaskId } from './engine-task.ts'
import { CORS_HEADERS, sendVideo } from './files.ts'
import { renderSample } from './render.ts'
import { submitFaults } from './submit-faults.ts'
import { TaskStore, type RenderFn } from './task-store.ts'
import type { DrainReport } from './task-restore.ts'
import { buildJob, checkBody, parseJsonBody } from './validate.ts'

/*
 * The local engine, mounted at /api/local: the provider's contract (same paths, JSON and errors) served by an
 * honest local motion preview rendered with ffmpeg. It never claims to be Veo: every result says
 * extra.engine = "local-preview".
 *
 *   POST /v3/async/<model id>                → {"task_id": "..."}
 *   GET  /v3/async/task-result?task_id=<id>  → the contract's task result
 *   GET  /videos/<task id>/<n>.mp4?expires=<unix seconds>  → the MP4, with Range support, until the TTL ends
 */

export interface Engine {
  routes: Hono
  /** Stops at once: renders in flight are cut short and rendered again after the next start. */
  close(): Promise<void>
  /** Stops gracefully: nothing new starts, renders in flight get `graceMs` to end (task-store.ts). */
  drain(graceMs: number): Promise<DrainReport>
}

export interface EngineDeps {
  config: EngineConfig
  models: readonly ModelSpec[]
  logger: Logger
  /** The renderer; tests may pass another. Defaults to render.ts. */
  render?: RenderFn
}

const firstValue = (v: string | undefined) => v?.split(',')[0]?.trim() || undefined

/** The absolute origin the client used, honouring X-Forwarded-Proto/Host (a proxy such as Vite's dev server). */
function origin(c: Context): string {
  const url = new URL(c.req.url)
  const proto = firstValue(c.req.header('x-forwarded-proto'))?.toLowerCase()
  const scheme = proto === 'http' || proto === 'https' ? proto : url.protocol.replace(/:$/, '')
  const candidates = [firstValue(c.req.header('x-forwarded-host')), c.req.header('host'), url.host]
  const host = candidates.find((h): h is string => Boolean(h && /^[A-Za-z0-9.\-_:[\]]+$/.test(h))) ?? url.host
  return `${scheme}://${host}`
}

export function createEngine(deps: EngineDeps): Engine {
  const { config, logger } = deps
  const models = new Map(deps.models.map((m) => [m.id, m]))
  const store = new TaskStore(config, logger, deps.render ?? renderSample)
  const routes = new Hono()
  const refusal = submitFaults()

  routes.onError((err, c) => {
    if (err instanceof ContractError) {
      logger.info('engine.refused', { path: new URL(c.req.url).pathname, status: err.status, reason: err.reason, message: err.message })
      return contractErrorResponse(c, err.status, err.reason, err.message, err.metadata)
    }
    logger.error('engine.unhandled', { message: err.message })
    return contractErrorResponse(c, 500, 'TASK_FAILED', 'The local engine hit an unexpected error; try again.')
  })

  routes.get(TASK_RESULT_PATH, async (c) => {
    await store.ready
    const id = c.req.query('task_id')?.trim()
    if (!id)
      return contractErrorResponse(c, 400, 'INVALID_REQUEST_BODY', 'task_id is required: add ?task_id=<the id the submit call returned>')
    const task = isTaskId(id) ? store.get(id) : undefined
    if (!task) {
      const why = store.expired(id) ? 'its results expired and were removed' : 'the local engine has no task with this id'
      return contractErrorResponse(c, 404, 'TASK_NOT_FOUND', `Task ${id} not found: ${why}.`)
    }
    // The mount point (/api/local) is whatever precedes the route in the path the client used.
    const path = new URL(c.req.url).pathname
    const prefix = path.endsWith(TASK_RESULT_PATH) ? path.slice(0, -TASK_RESULT_PATH.length) : ''
    const base = `${origin(c)}${prefix}/videos/${task.id}`
    return c.json(store.result(task, (n, expires) => `${base}/${n}.mp4?expires=${expires}`))
  })

  // The gateway's body limit (app.ts) already caps what a submit may send.
  routes.post('/v3/async/:model', async (c) => {
    await store.ready
    // Read the body even when the answer is already known: an unread upload would cost the client its connection.
    const text = await c.req.text()
    const model = models.get(c.req.param('model'))
    if (!model) {
      const known = [...models.keys()].join(', ')
      return contractErrorResponse(c, 404, 'MODEL_NOT_FOUND', `No model "${c.req.param('model')}" on the local engine; it has: ${known}.`)
    }
    const body = checkBody(model, parseJsonBody(text))
    const refused = refusal(c, typeof body.prompt === 'string' ? body.prompt : '')
    if (refused) return refused
    const { id, dir } = await store.reserve()
    try {
      const job = await buildJob(model, body, dir, { timeoutMs: config.fetchTimeoutMs, allowPrivateUrls: config.allowPrivateUrls })
      await store.add(id, job)
    } catch (err) {
      await store.discard(id)
      throw err
    }
    return c.json({ task_id: id })
  })

  routes.get('/videos/:task/:file', async (c) => {
    await store.ready
    const id = c.req.param('task')
    const m = /^(\d{1,2})\.mp4$/.exec(c.req.param('file'))
    const notFound = (message: string) => {
      for (const [k, v] of Object.entries(CORS_HEADERS)) c.header(k, v)
      return contractErrorResponse(c, 404, 'NOT_FOUND', message)
    }
    if (!m || !isTaskId(id)) return notFound('No such video on the local engine.')
    if (store.expired(id)) return notFound('This video URL has expired; results are kept for the TTL the task result gave (video_url_ttl).')
    const task = store.get(id)
    const n = Number(m[1])
    const name = task?.status === 'TASK_STATUS_SUCCEED' ? task.videos[n] : undefined
    if (!task || name === undefined || task.expiresAt === undefined) return notFound('No such video on the local engine.')
    // The link carries its expiry; a link with another expiry is not one we gave out.
    if (c.req.query('expires') !== String(Math.ceil(task.expiresAt / 1000)))
      return notFound('This video URL is not valid: use the video_url from the latest task result.')
    return sendVideo(c, `${store.dirOf(id)}/${name}`, (task.expiresAt - Date.now()) / 1000)
  })

  return { routes, close: () => store.close(), drain: (graceMs) => store.drain(graceMs) }
}

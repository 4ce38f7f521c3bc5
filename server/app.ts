import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { getRequestListener } from '@hono/node-server'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { GatewayConfig } from './config.ts'
import { contractErrorResponse } from './errors.ts'
import { createEngine, type Engine } from './engine/index.ts'
import type { RenderFn } from './engine/task-store.ts'
import type { DrainReport } from './engine/task-restore.ts'
import { closeListener, READS_GRACE_MS, refuseWorkWhileDraining, type DrainState } from './shutdown.ts'
import { frameCheck } from './frame-check.ts'
import { createProxy } from './proxy.ts'
import { providerStatusRoutes } from './provider-status.ts'
import { idempotency, idempotencyLookup, IdempotencyStore, IDEMPOTENCY_LOOKUP_PATH } from './idempotency.ts'
import { createStatic } from './static.ts'
import { answerClientError, requestErrorResponse } from './bad-requests.ts'
import { securityHeaders } from './security-headers.ts'
import { drainUnreadBody } from './unread-body.ts'
import { submitLimits } from './submit-limits.ts'
import { megabytes } from './format.ts'
import { MAX_BODY_BYTES, MAX_IMAGE_BYTES } from './limits.ts'
import { FRAME_CHECK_PATH } from '../src/api/schemas.ts'
import type { ModelSpec } from '../src/models/types.ts'
import type { Logger } from './logger.ts'
import { originCheck } from './origin-check.ts'
import type { Library } from './library/library.ts'
import { libraryRoutes } from './library/api/routes.ts'
import { testWorkspaces } from './library/api/workspace.ts'
import { BLOB_UPLOAD_PATH } from './library/api/blobs-routes.ts'
import { startRunner, type Runner } from './library/runner/runner.ts'
import { providerClient } from './library/runner/provider.ts'

export interface AppDeps {
  config: GatewayConfig
  models: readonly ModelSpec[]
  logger: Logger
  /** The built SPA; when absent, only the API is served (tests). */
  distDir?: string
  /** The local engine's renderer; tests may pass one that does no ffmpeg work. */
  render?: RenderFn
  /** The library (database and files), opened by the caller, who closes it; absent in tests that need none. */
  library?: Library
  /** Whether the library's runner sends, polls and archives (default: yes, when there is a library). */
  runner?: boolean
}

export interface App {
  app: Hono
  engine: Engine
  /** The library's runner, once started (startServer starts it when there is a library). */
  runner: { current: Runner | undefined }
  /** Set on a graceful stop (shutdown.ts): submits are refused from then on. */
  draining: DrainState
}

/** The gateway: /api/local is the local engine, /api/jiekou forwards to the upstream, the rest is the SPA. */
export function createApp(deps: AppDeps): App {
  const app = new Hono()
  // Outermost, so every answer carries them: the SPA, its assets, the API and the errors of all three.
  app.use('*', securityHeaders())
  // Outside everything that may answer before reading the body (the limits, the body limit, the routes' refusals), so
  // the rest of that body is read before the answer goes out and the client's keep-alive connection stays usable.
  app.use('*', drainUnreadBody())
  // Before every /api route, so neither the engine nor the proxy ever buffers more than one submit can need.
  const submitSized = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) =>
      contractErrorResponse(
        c,
        413,
        'PAYLOAD_TOO_LARGE',
        `The request is larger than ${megabytes(MAX_BODY_BYTES)}, the most a submit can need (two ${megabytes(MAX_IMAGE_BYTES)} frames plus the parameters). Use smaller JPEG or PNG frames, or give the frames by URL.`,
        { maxBytes: MAX_BODY_BYTES },
      ),
  })
  // A video put into the library (PUT /api/library/blobs/<sha256>) may be far larger; that route streams it to disk,
  // never buffering it, and refuses past its own limit (1 GiB for a video).
  app.use('/api/*', (c, next) => (c.req.method === 'PUT' && BLOB_UPLOAD_PATH.test(c.req.path) ? next() : submitSized(c, next)))
  // After the body limit (a refused request is read, never buffered past it), before anything that changes state.
  app.use('/api/*', originCheck(deps.config.allowedOrigins))
  const engine = createEngine({
    config: deps.config.engine,
    models: deps.models,
    logger: deps.logger,
    ...(deps.render ? { render: deps.render } : {}),
  })
  const draining: DrainState = { active: false }
  // A submit sent again with the same Idempotency-Key (the queue, after a reload) gets the first answer, not a second task.
  const submitted = new IdempotencyStore()
  app.use('/api/local/*', idempotency('local', submitted))
  app.use('/api/jiekou/*', idempotency('jiekou', submitted))
  // After idempotency (a replay is still answered, and a 503 is never kept for a key), before the limits (it made nothing).
  app.use(
    '/api/*',
    refuseWorkWhileDraining(draining, () => Math.max(5, Math.ceil(deps.config.shutdownGraceMs / 1000))),
  )
  // After idempotency: a replayed key is answered before it reaches a limit, so a replay never counts twice.
  for (const limit of submitLimits(deps.config, deps.models)) app.use('/api/*', limit)
  app.get(`/api/local${IDEMPOTENCY_LOOKUP_PATH}`, idempotencyLookup('local', submitted))
  app.get(`/api/jiekou${IDEMPOTENCY_LOOKUP_PATH}`, idempotencyLookup('jiekou', submitted))
  // The key kept from Settings (in the data folder) serves the forwarder and the badge's check when the gateway has none.
  const keptKey = () => deps.library?.providerKey.get()
  app.route('/api', providerStatusRoutes({ config: deps.config, logger: deps.logger, keptKey }))
  const runner: App['runner'] = { current: undefined }
  app.route('/api/local', engine.routes)
  app.route('/api/jiekou', createProxy({ config: deps.config, models: deps.models, logger: deps.logger, keptKey }))
  // Lets the studio say "the server holds the key" without ever seeing it.
  app.get('/api/config', (c) => c.json({ serverHoldsKey: Boolean(deps.config.jiekouApiKey) }))
  app.get(FRAME_CHECK_PATH, frameCheck(deps.config.engine))
  if (deps.library)
    app.route(
      '/api/library',
      libraryRoutes(deps.library, {
        boss: () => runner.current?.boss,
        serverKey: () => deps.config.jiekouApiKey,
        diskFull: () => runner.current?.diskFull() ?? false,
        guard: deps.config.testWorkspaces ? testWorkspaces : undefined,
      }),
    )
  app.all('/api/*', (c) => contractErrorResponse(c, 404, 'NOT_FOUND', `No such endpoint: ${c.req.method} ${new URL(c.req.url).pathname}`))
  if (deps.distDir) app.route('/', createStatic(deps.distDir))
  // Anything else (a path the URL parser normalised out of /api, say) is a contract 404 too, not Hono's plain text.
  app.notFound((c) => contractErrorResponse(c, 404, 'NOT_FOUND', `No such endpoint: ${c.req.method} ${new URL(c.req.url).pathname}`))
  app.onError((err, c) => {
    deps.logger.error('unhandled', { message: err.message })
    return contractErrorResponse(c, 500, 'TASK_FAILED', 'The gateway hit an unexpected error; try again.')
  })
  return { app, engine, draining, runner }
}

export interface RunningServer {
  url: string
  port: number
  engine: Engine
  /** The library's runner (submit, poll, archive), when the gateway has a library. */
  runner: Runner | undefined
  /** Stops at once (tests): renders in flight are cut short, and rendered again at the next start. */
  close(): Promise<void>
  /** Stops gracefully (SIGTERM): see shutdown.ts. */
  shutdown(graceMs: number): Promise<DrainReport>
}

/** Starts the gateway on `port` (0 picks a free one) and resolves once it listens. */
export function startServer(deps: AppDeps & { port: number; host?: string }): Promise<RunningServer> {
  const { app, engine, draining, runner } = createApp(deps)
  const hostname = deps.host ?? '127.0.0.1'
  // serve() without its wrapper, for the errorHandler: a request Hono never sees still gets a contract error.
  const server = createServer(getRequestListener(app.fetch, { hostname, errorHandler: requestErrorResponse }))
  server.on('clientError', answerClientError)
  return new Promise((resolve, reject) => {
    server.listen(deps.port, hostname, async () => {
      const info = server.address() as AddressInfo
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address
      const url = `http://${host}:${info.port}`
      try {
        if (deps.library && deps.runner !== false) runner.current = await startLibraryRunner(deps, deps.library, url)
      } catch (err) {
        await engine.close()
        server.close()
        return reject(err as Error)
      }
      const stopRunner = async () => {
        await runner.current?.stop()
        runner.current = undefined
      }
      resolve({
        url,
        port: info.port,
        engine,
        runner: runner.current,
        close: async () => {
          await stopRunner()
          await engine.close()
          await new Promise<void>((done) => server.close(() => done()))
        },
        shutdown: async (graceMs) => {
          draining.active = true
          await stopRunner()
          const report = await engine.drain(graceMs)
          await closeListener(server, READS_GRACE_MS)
          return report
        },
      })
    })
    // Without this a busy port would leave the promise pending forever instead of saying why.
    server.once('error', (err: Error) => {
      void engine.close()
      reject(err)
    })
  })
}

/** The runner sends to the local engine through this gateway's own address (the same contract), and to jiekou.ai. */
function startLibraryRunner(deps: AppDeps, library: Library, url: string): Promise<Runner> {
  const { config } = deps
  const timeoutMs = config.upstreamTimeoutMs
  return startRunner({
    library,
    logger: deps.logger,
    providers: {
      local: providerClient({ base: `${url}/api/local`, key: () => undefined, timeoutMs }),
      jiekou: providerClient({ base: config.jiekouBaseUrl, key: () => config.jiekouApiKey ?? library.providerKey.get(), timeoutMs }),
    },
    keyOf: (provider) => (provider === 'jiekou' ? (config.jiekouApiKey ?? library.providerKey.get()) : 'local'),
  })
}

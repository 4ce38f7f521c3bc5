import { Hono, type Context } from 'hono'
import { TASK_RESULT_PATH } from '../src/api/schemas.ts'
import type { ModelSpec } from '../src/models/types.ts'
import type { GatewayConfig } from './config.ts'
import { contractErrorResponse } from './errors.ts'
import { forwardTo } from './forwarder.ts'
import { IssuedUrls } from './issued-urls.ts'
import type { Logger } from './logger.ts'
import { relayVideo, VIDEO_RELAY_PATH } from './video-relay.ts'

/*
 * /api/jiekou: the allow-list in front of jiekou.ai. The browser cannot call the provider itself (no CORS, and a
 * server-held key must stay on the server), so it calls /api/jiekou/<provider path> and we relay. Only the
 * contract's own calls are relayed (forwarder.ts), plus result videos (video-relay.ts): a key held here must not
 * become a general-purpose credential for the rest of the provider's API.
 */

interface ProxyDeps {
  config: GatewayConfig
  models: readonly ModelSpec[]
  logger: Logger
  /** The key kept by the gateway from Settings, used when JIEKOU_API_KEY is not set. */
  keptKey?: (() => string | undefined) | undefined
}

export function createProxy({ config, models, logger, keptKey }: ProxyDeps): Hono {
  const routes = new Hono()
  const issued = new IssuedUrls()

  // Nothing here may be cached: every answer, error or not, is about one moment of the upstream.
  routes.use('*', async (c, next) => {
    await next()
    c.res.headers.set('Cache-Control', 'no-store')
  })

  const notFound = (c: Context) =>
    contractErrorResponse(
      c,
      404,
      'NOT_FOUND',
      `The gateway does not forward ${c.req.method} ${new URL(c.req.url).pathname}: only the studio's submit and task-result calls go to jiekou.ai (and /video relays result videos).`,
    )
  // Hono also routes HEAD to GET handlers; the allow-list is about methods, so HEAD is refused too.
  const only = (method: string, handler: (c: Context) => Promise<Response>) => (c: Context) =>
    c.req.method === method ? handler(c) : notFound(c)

  for (const path of new Set(models.map((m) => m.path)))
    routes.all(path, only('POST', forwardTo({ config, logger, issued, keptKey }, 'POST', path)))
  routes.all(TASK_RESULT_PATH, only('GET', forwardTo({ config, logger, issued, keptKey }, 'GET', TASK_RESULT_PATH)))
  routes.all(VIDEO_RELAY_PATH, only('GET', relayVideo({ config, logger, issued })))
  routes.all('*', notFound)
  return routes
}

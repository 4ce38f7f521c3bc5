import type { Context, MiddlewareHandler } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'
import { rateLimiter } from 'hono-rate-limiter'
import type { ModelSpec } from '../src/models/types.ts'
import type { GatewayConfig } from './config.ts'
import { contractErrorResponse } from './errors.ts'

/*
 * Two limits on submits (POSTs to a model's path; task-result polls and the video relay are never counted):
 * - per client, on every provider: one tab (or one script) cannot flood the local engine or the shared key;
 * - the shared jiekou.ai key: when the gateway holds JIEKOU_API_KEY, everyone who uses this gateway shares one
 *   upstream quota, so the submits it forwards with that key stay under JIEKOU_RPM, whoever sends them.
 * Past either, the answer is a 429 in the contract's shape with Retry-After in whole seconds, which the studio's
 * submit queue honours (it waits, then sends the same request again).
 *
 * These run after idempotency.ts: a repeated Idempotency-Key is answered from the first answer before it gets here,
 * so a replay never counts. A 429 from anywhere (the shared limit, or the upstream's own) does not count against the
 * client: nothing was created.
 */

/** Both limits are per minute; the window is the limiter's own (fixed, from a client's first counted submit). */
export const SUBMIT_WINDOW_MS = 60_000

/**
 * The client's address as the socket sees it. Behind a reverse proxy that is the proxy's address, so every user
 * shares one count: X-Forwarded-For is not trusted, as anyone could send one to get a fresh count.
 */
function clientAddress(c: Context): string {
  const env = c.env as { incoming?: unknown; server?: unknown } | undefined
  // Only a request that came through @hono/node-server has a socket (app.request() in a test has none).
  if (!env?.incoming && !env?.server) return 'unknown'
  return getConnInfo(c).remote.address ?? 'unknown'
}

/** Whole seconds until the window that refused this request frees a slot; never 0, so a client always waits. */
function secondsUntil(reset: Date | undefined): number {
  return reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : Math.ceil(SUBMIT_WINDOW_MS / 1000)
}

interface RateInfo {
  limit: number
  resetTime: Date | undefined
}

function refusal(c: Context, info: RateInfo | undefined, message: (wait: number) => string, detail: string) {
  const wait = secondsUntil(info?.resetTime)
  c.header('Retry-After', String(wait))
  // An answer about this moment: no cache may keep it (the proxy's own no-store is not on this path).
  c.header('Cache-Control', 'no-store')
  return contractErrorResponse(c, 429, 'RATE_LIMIT_EXCEEDED', message(wait), {
    detail,
    retryAfterSeconds: wait,
    ...(info ? { limit: info.limit } : {}),
  })
}

/** The middlewares for /api/*, in order: the per-client limit, then (with a server key) the shared jiekou.ai one. */
export function submitLimits(config: GatewayConfig, models: readonly ModelSpec[]): MiddlewareHandler[] {
  const paths = new Set(models.map((m) => m.path))
  const submitTo = (provider: string) => {
    const prefix = `/api/${provider}`
    return (c: Context) => c.req.method === 'POST' && c.req.path.startsWith(prefix + '/') && paths.has(c.req.path.slice(prefix.length))
  }
  const isLocalSubmit = submitTo('local')
  const isJiekouSubmit = submitTo('jiekou')
  const { clientRpm, jiekouRpm } = config.limits
  const limiters: MiddlewareHandler[] = []

  if (clientRpm > 0) {
    limiters.push(
      rateLimiter({
        windowMs: SUBMIT_WINDOW_MS,
        limit: clientRpm,
        keyGenerator: clientAddress,
        skip: (c) => !isLocalSubmit(c) && !isJiekouSubmit(c),
        // Our own Retry-After and nothing else: the draft RateLimit-* headers of two limiters would overwrite each other.
        standardHeaders: false,
        requestPropertyName: 'clientRateLimit',
        // A 429 made nothing, whoever said it (this limit, the shared one, the upstream): it does not use a slot.
        skipFailedRequests: true,
        requestWasSuccessful: (c) => c.res.status !== 429,
        handler: (c) =>
          refusal(
            c,
            c.get('clientRateLimit') as RateInfo | undefined,
            (wait) =>
              `Too many requests from this studio at once: the gateway takes ${clientRpm} a minute from each address. Try again in ${wait} s.`,
            `GATEWAY_CLIENT_RPM=${clientRpm}: submits counted per client address (behind a reverse proxy, the proxy's) over both providers.`,
          ),
      }),
    )
  }

  if (config.jiekouApiKey && jiekouRpm > 0) {
    limiters.push(
      rateLimiter({
        windowMs: SUBMIT_WINDOW_MS,
        limit: jiekouRpm,
        // One count for the one key, whoever sends.
        keyGenerator: () => 'jiekou',
        skip: (c) => !isJiekouSubmit(c),
        standardHeaders: false,
        requestPropertyName: 'jiekouRateLimit',
        handler: (c) =>
          refusal(
            c,
            c.get('jiekouRateLimit') as RateInfo | undefined,
            (wait) =>
              `The gateway's jiekou.ai key is shared, and it has sent its ${jiekouRpm} requests for this minute. Try again in ${wait} s.`,
            `JIEKOU_RPM=${jiekouRpm}: submits forwarded with the gateway's JIEKOU_API_KEY, counted for everyone who uses this gateway.`,
          ),
      }),
    )
  }
  return limiters
}

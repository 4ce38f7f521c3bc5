import { Hono, type Context } from 'hono'
import type { GatewayConfig } from './config.ts'
import { redact, type Logger } from './logger.ts'
import type { ModelSpec } from '../src/models/types.ts'
import type { ErrorBody, ErrorReason } from '../src/api/schemas.ts'

/*
 * The jiekou.ai forwarder. The browser cannot call the provider itself (no CORS, and a server-held key must
 * stay on the server), so it calls /api/jiekou/<provider path> and we relay. Only the contract's own calls
 * are relayed: a key held here must not become a general-purpose credential for the rest of the provider's API.
 */

export const TASK_RESULT_PATH = '/v3/async/task-result'

interface ProxyDeps {
  config: GatewayConfig
  models: readonly ModelSpec[]
  logger: Logger
}

/** A contract-shaped error with any status (c.json only types the statuses Hono knows carry a body). */
function contractError(status: number, reason: ErrorReason, message: string, metadata: Record<string, unknown> = {}): Response {
  const body: ErrorBody = { code: status, reason, message, metadata }
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } })
}

/** The reason we give a non-JSON error from upstream, so the client can still branch on it. */
function reasonForStatus(status: number): ErrorReason {
  if (status === 401) return 'FAILED_TO_AUTH'
  if (status === 403) return 'ACCESS_DENY'
  if (status === 404) return 'NOT_FOUND'
  if (status === 413) return 'PAYLOAD_TOO_LARGE'
  if (status === 429) return 'RATE_LIMIT_EXCEEDED'
  if (status === 502 || status === 504) return 'UPSTREAM_UNREACHABLE'
  if (status >= 500) return 'SERVICE_NOT_AVAILABLE'
  return 'INVALID_REQUEST_BODY'
}

/** The server's key wins; otherwise the browser's, normalised to the Bearer form the provider documents. */
function authorization(serverKey: string | undefined, browserHeader: string | undefined): string | undefined {
  if (serverKey) return `Bearer ${serverKey}`
  const sent = browserHeader?.trim()
  if (!sent) return undefined
  return /^bearer\s+\S/i.test(sent) ? sent : `Bearer ${sent}`
}

const isJson = (text: string) => {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** A short, tag-free excerpt of a non-JSON body (a proxy's HTML error page, say) for the message. */
const excerpt = (text: string) => text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200)

const errorCode = (err: unknown): string | undefined => {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause
  return typeof cause?.code === 'string' ? cause.code : undefined
}

export function createProxy({ config, models, logger }: ProxyDeps): Hono {
  const routes = new Hono()
  const base = config.jiekouBaseUrl

  const notFound = (c: Context) =>
    contractError(404, 'NOT_FOUND', `The gateway does not forward ${c.req.method} ${new URL(c.req.url).pathname}: only the studio's submit and task-result calls go to jiekou.ai.`)

  const forward = (method: 'GET' | 'POST', path: string) => async (c: Context) => {
    // Hono also routes HEAD to GET handlers; the allow-list is about methods, so HEAD is refused too.
    if (c.req.method !== method) return notFound(c)
    const auth = authorization(config.jiekouApiKey, c.req.header('authorization'))
    if (!auth) {
      return contractError(401, 'FAILED_TO_AUTH', 'No jiekou.ai API key: add your key in Settings, or set JIEKOU_API_KEY on the gateway.')
    }
    // Only the query of task-result means anything upstream; submit paths get none.
    const search = method === 'GET' ? new URL(c.req.url).search : ''
    // Only these headers go upstream: never the browser's cookies, origin or anything else it sent.
    const headers: Record<string, string> = { Authorization: auth, Accept: 'application/json', 'User-Agent': 'veo-studio-gateway' }
    const controller = new AbortController()
    // redirect: 'manual' so the Authorization header is never replayed to wherever a redirect points.
    const init: RequestInit = { method, headers, signal: controller.signal, redirect: 'manual' }
    if (method === 'POST') {
      headers['Content-Type'] = 'application/json'
      init.body = await c.req.arrayBuffer()
    }

    const started = Date.now()
    let timedOut = false
    // 0 means "no limit"; the timer covers reading the answer too, not only the headers.
    const timer =
      config.upstreamTimeoutMs > 0
        ? setTimeout(() => {
            timedOut = true
            controller.abort()
          }, config.upstreamTimeoutMs)
        : undefined
    let status: number
    let retryAfter: string | null
    let text: string
    let bytes: ArrayBuffer
    let location: string | null
    try {
      const res = await fetch(base + path + search, init)
      status = res.status
      retryAfter = res.headers.get('retry-after')
      location = res.headers.get('location')
      bytes = await res.arrayBuffer()
      text = new TextDecoder().decode(bytes)
    } catch (err) {
      const ms = Date.now() - started
      if (timedOut) {
        logger.warn('jiekou timeout', { method, path, ms })
        const seconds = Math.round(config.upstreamTimeoutMs / 100) / 10
        const submitted = method === 'POST' ? ' The task may still have been created: check your jiekou.ai task list before submitting again.' : ''
        return contractError(504, 'UPSTREAM_UNREACHABLE', `jiekou.ai did not answer within ${seconds} s; try again in a moment.${submitted}`, { timeoutMs: config.upstreamTimeoutMs })
      }
      const code = errorCode(err)
      logger.warn('jiekou unreachable', { method, path, ms, code })
      return contractError(502, 'UPSTREAM_UNREACHABLE', `The gateway could not reach jiekou.ai at ${base}${code ? ` (${code})` : ''}. Check the network connection or JIEKOU_BASE_URL, then try again.`)
    } finally {
      clearTimeout(timer)
    }
    logger.info('jiekou', { method, path, status, ms: Date.now() - started })

    if (status >= 300 && status < 400) {
      return contractError(502, 'UPSTREAM_UNREACHABLE', `jiekou.ai answered with a redirect (${status}${location ? ` to ${location}` : ''}); check JIEKOU_BASE_URL.`)
    }
    if (text.trim() !== '' && isJson(text)) {
      // The provider's own answer, byte for byte: the client reads its reasons and messages directly.
      const out = new Headers({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
      if (retryAfter) out.set('Retry-After', retryAfter)
      return new Response(bytes, { status, headers: out })
    }
    // Scrubbed like a log line: an error page that echoes the request must not hand the server's key to the browser.
    const detail = redact(excerpt(text), [config.jiekouApiKey])
    const wrapped =
      status >= 400
        ? contractError(status, reasonForStatus(status), `jiekou.ai answered ${status}${detail ? `: ${detail}` : ' with no details'}.`)
        : contractError(502, 'UPSTREAM_UNREACHABLE', `jiekou.ai answered ${status} with something that is not JSON; try again later.`)
    if (retryAfter) wrapped.headers.set('Retry-After', retryAfter)
    return wrapped
  }

  for (const path of new Set(models.map((m) => m.path))) routes.all(path, forward('POST', path))
  routes.all(TASK_RESULT_PATH, forward('GET', TASK_RESULT_PATH))
  routes.all('*', notFound)
  return routes
}

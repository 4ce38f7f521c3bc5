import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { GatewayConfig } from './config.ts'
import { contractErrorResponse } from './errors.ts'
import { seconds } from './format.ts'
import { redact, type Logger } from './logger.ts'
import type { ModelSpec } from '../src/models/types.ts'
import { z } from 'zod'
import { videoSchema, type ErrorReason } from '../src/api/schemas.ts'
import { isHttpUrl } from '../src/models/define.ts'

/*
 * The jiekou.ai forwarder. The browser cannot call the provider itself (no CORS, and a server-held key must
 * stay on the server), so it calls /api/jiekou/<provider path> and we relay. Only the contract's own calls
 * are relayed: a key held here must not become a general-purpose credential for the rest of the provider's API.
 *
 * One more route, /api/jiekou/video?url=<video_url>, streams a result video through the gateway so the studio can
 * keep a copy (the provider's CDN may not allow the browser). It is not an open proxy: it serves only video URLs
 * that came back in a task-result answer this gateway forwarded, until their video_url_ttl runs out, and it sends
 * the CDN no key.
 */

export const TASK_RESULT_PATH = '/v3/async/task-result'
export const VIDEO_RELAY_PATH = '/video'

/** At most this many result URLs are remembered; the oldest go first. 5000 URLs is well under a few MB. */
export const MAX_ISSUED_URLS = 5000

interface ProxyDeps {
  config: GatewayConfig
  models: readonly ModelSpec[]
  logger: Logger
}

/** Only the videos of a task-result body, read as leniently as the studio reads them (a TTL as string or number). */
const resultVideos = z.object({ videos: z.array(videoSchema.catch({ video_url: '', video_url_ttl: 0, video_type: '' })).nullish() })

/** The video URLs task-result answers have handed out, each with the moment it stops being valid. Bounded. */
export class IssuedUrls {
  private readonly expiries = new Map<string, number>()

  constructor(
    private readonly max = MAX_ISSUED_URLS,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.expiries.size
  }

  add(url: string, ttlSeconds: number): void {
    // Delete first so a URL seen again moves to the young end of the insertion order.
    this.expiries.delete(url)
    if (this.expiries.size >= this.max) {
      const now = this.now()
      for (const [u, expiry] of this.expiries) if (expiry <= now) this.expiries.delete(u)
      for (const u of this.expiries.keys()) {
        if (this.expiries.size < this.max) break
        this.expiries.delete(u)
      }
    }
    this.expiries.set(url, this.now() + ttlSeconds * 1000)
  }

  /** Whether the URL was handed out and is still valid; an expired one is dropped when it is asked about. */
  check(url: string): 'valid' | 'expired' | 'unknown' {
    const expiry = this.expiries.get(url)
    if (expiry === undefined) return 'unknown'
    if (expiry > this.now()) return 'valid'
    this.expiries.delete(url)
    return 'expired'
  }

  /** Remembers every videos[].video_url of a task-result body; a body that is not one is ignored. */
  recordFrom(text: string): void {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      return
    }
    const body = resultVideos.safeParse(parsed)
    if (!body.success) return
    for (const v of body.data.videos ?? []) if (isHttpUrl(v.video_url)) this.add(v.video_url, v.video_url_ttl)
  }
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
const excerpt = (text: string) =>
  text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200)

const errorCode = (err: unknown): string | undefined => {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause
  return typeof cause?.code === 'string' ? cause.code : undefined
}

export function createProxy({ config, models, logger }: ProxyDeps): Hono {
  const routes = new Hono()
  const base = config.jiekouBaseUrl
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

  const forward = (method: 'GET' | 'POST', path: string) => async (c: Context) => {
    // Hono also routes HEAD to GET handlers; the allow-list is about methods, so HEAD is refused too.
    if (c.req.method !== method) return notFound(c)
    const auth = authorization(config.jiekouApiKey, c.req.header('authorization'))
    if (!auth) {
      return contractErrorResponse(
        c,
        401,
        'FAILED_TO_AUTH',
        'No jiekou.ai API key: add your key in Settings, or set JIEKOU_API_KEY on the gateway.',
      )
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
        const submitted =
          method === 'POST' ? ' The task may still have been created: check your jiekou.ai task list before submitting again.' : ''
        return contractErrorResponse(
          c,
          504,
          'UPSTREAM_UNREACHABLE',
          `jiekou.ai did not answer within ${seconds(config.upstreamTimeoutMs)}; try again in a moment.${submitted}`,
          {
            timeoutMs: config.upstreamTimeoutMs,
          },
        )
      }
      const code = errorCode(err)
      logger.warn('jiekou unreachable', { method, path, ms, code })
      return contractErrorResponse(
        c,
        502,
        'UPSTREAM_UNREACHABLE',
        `The gateway could not reach jiekou.ai at ${base}${code ? ` (${code})` : ''}. Check the network connection or JIEKOU_BASE_URL, then try again.`,
      )
    } finally {
      clearTimeout(timer)
    }
    logger.info('jiekou', { method, path, status, ms: Date.now() - started })

    if (status >= 300 && status < 400) {
      return contractErrorResponse(
        c,
        502,
        'UPSTREAM_UNREACHABLE',
        `jiekou.ai answered with a redirect (${status}${location ? ` to ${location}` : ''}); check JIEKOU_BASE_URL.`,
      )
    }
    if (text.trim() !== '' && isJson(text)) {
      // The video relay serves only what a task result handed out; the answer itself goes on unchanged.
      if (path === TASK_RESULT_PATH && status === 200) issued.recordFrom(text)
      // The provider's own answer, byte for byte: the client reads its reasons and messages directly.
      const out = new Headers({ 'Content-Type': 'application/json' })
      if (retryAfter) out.set('Retry-After', retryAfter)
      return new Response(bytes, { status, headers: out })
    }
    if (retryAfter) c.header('Retry-After', retryAfter)
    if (status < 400)
      return contractErrorResponse(
        c,
        502,
        'UPSTREAM_UNREACHABLE',
        `jiekou.ai answered ${status} with something that is not JSON; try again later.`,
      )
    // Scrubbed like a log line: an error page that echoes the request must not hand the server's key to the browser.
    const detail = redact(excerpt(text), [config.jiekouApiKey])
    // An error status (>= 400) carries a body; c.json only types the statuses Hono names.
    return contractErrorResponse(
      c,
      status as ContentfulStatusCode,
      reasonForStatus(status),
      `jiekou.ai answered ${status}${detail ? `: ${detail}` : ' with no details'}.`,
    )
  }

  /** Streams a result video from the provider's CDN: only URLs a task result handed out, and without any key. */
  const relayVideo = async (c: Context) => {
    if (c.req.method !== 'GET') return notFound(c)
    const url = c.req.query('url')
    if (!url)
      return contractErrorResponse(c, 400, 'INVALID_REQUEST_BODY', 'Give the video as ?url=<the video_url of a task result, URL-encoded>.')
    if (!isHttpUrl(url))
      return contractErrorResponse(c, 400, 'INVALID_REQUEST_BODY', 'The url parameter must be an http(s) video_url from a task result.')
    const state = issued.check(url)
    if (state === 'unknown') {
      return contractErrorResponse(
        c,
        404,
        'NOT_FOUND',
        'This video URL was not issued by a task result seen by this gateway, so it is not relayed. Fetch the task result through the gateway first, then ask for its video_url.',
      )
    }
    if (state === 'expired') return expired(c)

    const host = new URL(url).host
    const controller = new AbortController()
    let timedOut = false
    let timer: ReturnType<typeof setTimeout> | undefined
    // The same limit as the forwarder, but as an idle limit: the wait for the headers, then each wait for more bytes.
    // A whole video may take longer than that to arrive; a stalled CDN may not.
    const arm = () => {
      clearTimeout(timer)
      if (config.upstreamTimeoutMs > 0)
        timer = setTimeout(() => {
          timedOut = true
          controller.abort()
        }, config.upstreamTimeoutMs)
    }
    // Deliberately no Authorization, cookies or anything else of the browser's: the CDN link is its own credential.
    const headers: Record<string, string> = { Accept: 'video/*, */*;q=0.5', 'User-Agent': 'veo-studio-gateway' }
    const range = c.req.header('range')
    if (range) headers.Range = range
    const started = Date.now()
    let res: Response
    arm()
    try {
      res = await fetch(url, { headers, signal: controller.signal, redirect: 'follow' })
    } catch (err) {
      clearTimeout(timer)
      const ms = Date.now() - started
      if (timedOut) {
        logger.warn('jiekou video timeout', { host, ms })
        return contractErrorResponse(
          c,
          504,
          'UPSTREAM_UNREACHABLE',
          `The video host did not answer within ${seconds(config.upstreamTimeoutMs)}; try again in a moment.`,
          {
            timeoutMs: config.upstreamTimeoutMs,
          },
        )
      }
      const code = errorCode(err)
      logger.warn('jiekou video unreachable', { host, ms, code })
      return contractErrorResponse(
        c,
        502,
        'UPSTREAM_UNREACHABLE',
        `The gateway could not reach the video host ${host}${code ? ` (${code})` : ''}; try again in a moment.`,
      )
    }
    clearTimeout(timer)
    logger.info('jiekou video', { host, status: res.status, ms: Date.now() - started })

    if (res.status !== 200 && res.status !== 206) {
      // The CDN's own error page says nothing the studio can use, and is not ours to pass on.
      await res.body?.cancel().catch(() => {})
      if ([401, 403, 404, 410].includes(res.status)) return expired(c, res.status)
      if (res.status < 400)
        return contractErrorResponse(
          c,
          502,
          'UPSTREAM_UNREACHABLE',
          `The video host answered ${res.status} instead of the video; try again later.`,
        )
      // An error status (>= 400) carries a body; c.json only types the statuses Hono names.
      return contractErrorResponse(
        c,
        res.status as ContentfulStatusCode,
        reasonForStatus(res.status),
        `The video host answered ${res.status}; try again in a moment.`,
      )
    }

    const out = new Headers({ 'Content-Type': res.headers.get('content-type') || 'application/octet-stream' })
    for (const name of ['content-length', 'content-range', 'accept-ranges', 'last-modified', 'etag']) {
      const value = res.headers.get(name)
      if (value) out.set(name, value)
    }
    const upstream = res.body
    if (!upstream) return new Response(null, { status: res.status, headers: out })
    // Pulled chunk by chunk as the browser reads: nothing is buffered beyond what the stream itself holds.
    const reader = upstream.getReader()
    const body = new ReadableStream<Uint8Array>({
      async pull(stream) {
        arm()
        try {
          const { done, value } = await reader.read()
          clearTimeout(timer)
          if (done) stream.close()
          else stream.enqueue(value)
        } catch (err) {
          clearTimeout(timer)
          logger.warn('jiekou video cut short', { host, ms: Date.now() - started, timedOut, code: errorCode(err) })
          stream.error(err)
        }
      },
      cancel(reason) {
        clearTimeout(timer)
        return reader.cancel(reason)
      },
    })
    return new Response(body, { status: res.status, headers: out })
  }

  const expired = (c: Context, status?: number) =>
    contractErrorResponse(
      c,
      404,
      'NOT_FOUND',
      `The provider's video link has expired${status ? ` (the video host answered ${status})` : ' (its video_url_ttl has passed)'}. Fetch the task result again for a fresh link; if none comes, the video is no longer on jiekou.ai.`,
      status ? { upstreamStatus: status } : {},
    )

  for (const path of new Set(models.map((m) => m.path))) routes.all(path, forward('POST', path))
  routes.all(TASK_RESULT_PATH, forward('GET', TASK_RESULT_PATH))
  routes.all(VIDEO_RELAY_PATH, relayVideo)
  routes.all('*', notFound)
  return routes
}

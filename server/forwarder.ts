import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { TASK_RESULT_PATH } from '../src/api/schemas.ts'
import type { GatewayConfig } from './config.ts'
import { contractErrorResponse, reasonForStatus, upstreamFailureResponse } from './errors.ts'
import { FetchFailure, fetchWithTimeout } from './fetch-with-timeout.ts'
import { seconds } from './format.ts'
import type { IssuedUrls } from './issued-urls.ts'
import { redact, type Logger } from './logger.ts'

/*
 * Forwards one contract call (a submit or task-result) to jiekou.ai with the right key and nothing else of the
 * browser's, and hands back the provider's JSON byte for byte. What is not JSON (a proxy's error page, a redirect)
 * becomes a contract error, so the studio always has a reason and a message to show.
 */

export interface ForwarderDeps {
  config: GatewayConfig
  logger: Logger
  /** Learns the video URLs of every task result that passes, for the video relay. */
  issued: IssuedUrls
  /** The key entered in Settings and kept in the data folder (library/provider-key.ts); JIEKOU_API_KEY wins. */
  keptKey?: (() => string | undefined) | undefined
}

/** The server's key wins; otherwise the browser's, normalised to the Bearer form the provider documents. */
export function authorization(serverKey: string | undefined, browserHeader: string | undefined): string | undefined {
  if (serverKey) return `Bearer ${serverKey}`
  const sent = browserHeader?.trim()
  if (!sent) return undefined
  return /^bearer\s+\S/i.test(sent) ? sent : `Bearer ${sent}`
}

/** The parsed JSON of an answer, or undefined when it is not JSON (an error page, an empty body). */
function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** A short, tag-free excerpt of a non-JSON body (a proxy's HTML error page, say) for the message. */
const excerpt = (text: string) =>
  text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200)

/** The system's error code (ECONNREFUSED, ENOTFOUND), or else what fetch said underneath ("bad port"). */
const why = (err: FetchFailure): string | undefined =>
  err.code ?? (err.cause as { cause?: { message?: string } } | undefined)?.cause?.message

/** The handler that forwards `method path` (its query too, for GET) to the provider. */
export function forwardTo({ config, logger, issued, keptKey }: ForwarderDeps, method: 'GET' | 'POST', path: string) {
  const base = config.jiekouBaseUrl
  return async (c: Context): Promise<Response> => {
    const gatewayKey = config.jiekouApiKey ?? keptKey?.()
    const auth = authorization(gatewayKey, c.req.header('authorization'))
    if (!auth) {
      return contractErrorResponse(c, 401, 'FAILED_TO_AUTH', 'No key yet: add your jiekou.ai key in Settings.', {
        detail: 'No Authorization header came with the request, and JIEKOU_API_KEY is not set on the gateway.',
      })
    }
    // Only the query of task-result means anything upstream; submit paths get none.
    const search = method === 'GET' ? new URL(c.req.url).search : ''
    // Only these headers go upstream: never the browser's cookies, origin or anything else it sent.
    const headers: Record<string, string> = { Authorization: auth, Accept: 'application/json', 'User-Agent': 'veo-studio-gateway' }
    // redirect: 'manual' so the Authorization header is never replayed to wherever a redirect points.
    const init: RequestInit = { method, headers, redirect: 'manual' }
    if (method === 'POST') {
      headers['Content-Type'] = 'application/json'
      init.body = await c.req.arrayBuffer()
    }

    const started = Date.now()
    let res: Response
    let bytes: ArrayBuffer
    try {
      // The answer is small JSON: one deadline covers it whole.
      res = await fetchWithTimeout(base + path + search, init, { timeoutMs: config.upstreamTimeoutMs, limit: 'total' })
      bytes = await res.arrayBuffer()
    } catch (err) {
      if (!(err instanceof FetchFailure)) throw err
      logger.warn(err.kind === 'timeout' ? 'jiekou timeout' : 'jiekou unreachable', { method, path, ms: err.elapsedMs, code: err.code })
      const submitted =
        method === 'POST' ? ' The task may still have been created: check your jiekou.ai task list before submitting again.' : ''
      return upstreamFailureResponse(
        c,
        err,
        err.kind === 'timeout'
          ? `jiekou.ai did not answer within ${seconds(err.timeoutMs)}. Try again in a moment.${submitted}`
          : "jiekou.ai can't be reached right now. Check your connection, then try again.",
        err.kind === 'timeout'
          ? `${method} ${base}${path}: no answer within ${err.timeoutMs} ms (JIEKOU_TIMEOUT_MS)`
          : `The gateway could not reach jiekou.ai at ${base}${why(err) ? ` (${why(err)})` : ''}; check JIEKOU_BASE_URL.`,
      )
    }
    const { status } = res
    logger.info('jiekou', { method, path, status, ms: Date.now() - started })

    if (status >= 300 && status < 400) {
      const location = res.headers.get('location')
      return contractErrorResponse(c, 502, 'UPSTREAM_UNREACHABLE', "jiekou.ai answered in a way the studio can't use. Try again later.", {
        detail: `jiekou.ai answered with a redirect (HTTP ${status}${location ? ` to ${location}` : ''}); check JIEKOU_BASE_URL.`,
      })
    }
    const text = new TextDecoder().decode(bytes)
    const retryAfter = res.headers.get('retry-after')
    // Parsed once: to tell JSON from an error page, and to note the video URLs a task result hands out.
    const json = parseJson(text)
    if (json !== undefined) {
      // The video relay serves only what a task result handed out; the answer itself goes on unchanged.
      if (path === TASK_RESULT_PATH && status === 200) issued.recordFrom(json)
      // The provider's own answer, byte for byte: the client reads its reasons and messages directly.
      const out = new Headers({ 'Content-Type': 'application/json' })
      if (retryAfter) out.set('Retry-After', retryAfter)
      return new Response(bytes, { status, headers: out })
    }
    if (retryAfter) c.header('Retry-After', retryAfter)
    if (status < 400)
      return contractErrorResponse(c, 502, 'UPSTREAM_UNREACHABLE', "jiekou.ai answered in a way the studio can't use. Try again later.", {
        detail: `jiekou.ai answered HTTP ${status} with something that is not JSON.`,
      })
    // Scrubbed like a log line: an error page that echoes the request must not hand the server's key to the browser.
    const detail = redact(excerpt(text), [config.jiekouApiKey, keptKey?.()])
    // An error status (>= 400) carries a body; c.json only types the statuses Hono names.
    return contractErrorResponse(
      c,
      status as ContentfulStatusCode,
      reasonForStatus(status),
      status >= 500 ? 'jiekou.ai had a problem. Try again in a moment.' : 'jiekou.ai refused the request. Details says what it answered.',
      { detail: `jiekou.ai answered HTTP ${status}${detail ? `: ${detail}` : ' with no details'}.` },
    )
  }
}

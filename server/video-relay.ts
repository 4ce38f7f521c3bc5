import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { isHttpUrl } from '../src/models/define.ts'
import type { GatewayConfig } from './config.ts'
import { contractErrorResponse, reasonForStatus, upstreamFailureResponse } from './errors.ts'
import { FetchFailure, fetchWithTimeout } from './fetch-with-timeout.ts'
import { seconds } from './format.ts'
import type { IssuedUrls } from './issued-urls.ts'
import type { Logger } from './logger.ts'

/*
 * GET /api/jiekou/video?url=<video_url> streams a result video through the gateway, so the studio can keep a copy
 * (the provider's CDN may not allow the browser). It is not an open proxy: it serves only video URLs that came back
 * in a task-result answer this gateway forwarded, until their video_url_ttl runs out, and it sends the CDN no key.
 */

export const VIDEO_RELAY_PATH = '/video'

export interface VideoRelayDeps {
  config: GatewayConfig
  logger: Logger
  issued: IssuedUrls
}

/** What the CDN answers past a link's life (or for a link it no longer knows): say "expired", not its error page. */
const expired = (c: Context, status?: number) =>
  contractErrorResponse(
    c,
    404,
    'NOT_FOUND',
    `The provider's video link has expired${status ? ` (the video host answered ${status})` : ' (its video_url_ttl has passed)'}. Fetch the task result again for a fresh link; if none comes, the video is no longer on jiekou.ai.`,
    status ? { upstreamStatus: status } : {},
  )

export function relayVideo({ config, logger, issued }: VideoRelayDeps) {
  return async (c: Context): Promise<Response> => {
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

    // Only the host goes in the log: the signed part of the link is as good as a credential.
    const host = new URL(url).host
    // Deliberately no Authorization, cookies or anything else of the browser's: the CDN link is its own credential.
    const headers: Record<string, string> = { Accept: 'video/*, */*;q=0.5', 'User-Agent': 'veo-studio-gateway' }
    const range = c.req.header('range')
    if (range) headers.Range = range
    const started = Date.now()
    let res: Response
    try {
      // The forwarder's limit, as an idle limit: a whole video may take longer than that to arrive; a stalled CDN may not.
      res = await fetchWithTimeout(
        url,
        { headers, redirect: 'follow' },
        {
          timeoutMs: config.upstreamTimeoutMs,
          limit: 'idle',
          onBodyFailure: (failure) =>
            logger.warn('jiekou video cut short', {
              host,
              ms: failure.elapsedMs,
              timedOut: failure.kind === 'timeout',
              code: failure.code,
            }),
        },
      )
    } catch (err) {
      if (!(err instanceof FetchFailure)) throw err
      logger.warn(err.kind === 'timeout' ? 'jiekou video timeout' : 'jiekou video unreachable', { host, ms: err.elapsedMs, code: err.code })
      return upstreamFailureResponse(
        c,
        err,
        err.kind === 'timeout'
          ? `The video host did not answer within ${seconds(err.timeoutMs)}; try again in a moment.`
          : `The gateway could not reach the video host ${host}${err.code ? ` (${err.code})` : ''}; try again in a moment.`,
      )
    }
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
      const status = res.status as ContentfulStatusCode
      return contractErrorResponse(c, status, reasonForStatus(status), `The video host answered ${status}; try again in a moment.`)
    }

    const out = new Headers({ 'Content-Type': res.headers.get('content-type') || 'application/octet-stream' })
    for (const name of ['content-length', 'content-range', 'accept-ranges', 'last-modified', 'etag']) {
      const value = res.headers.get(name)
      if (value) out.set(name, value)
    }
    // The body streams as the browser reads it, under the idle limit: a stall cuts it, so the browser sees a failed
    // download rather than a short video.
    return new Response(res.body, { status: res.status, headers: out })
  }
}

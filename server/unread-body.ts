import type { IncomingMessage } from 'node:http'
import type { MiddlewareHandler } from 'hono'
import { MAX_BODY_BYTES } from './limits.ts'

/*
 * A connection that stays usable after an answer given before the request's body was read. Many answers are known
 * before the body is: a 429 of the submit limits, the body limit's 413, a library route that refuses the id in the
 * path or the query, a frame refused by its first bytes. Left unread, the rest of the body stays in the socket:
 * @hono/node-server gives it 500 ms to drain once the answer is out, then destroys the socket, and a browser's (or
 * undici's) keep-alive pool that has already put its next request on that socket sees it closed under it ("other
 * side closed", ECONNRESET).
 *
 * So, before the answer goes out, the rest of the body is read and thrown away, as a server that keeps connections
 * alive must: the connection is then clean for the next request. A body larger than any the gateway takes (declared
 * or counted), or one that has not arrived within DRAIN_MS, is not waited for: the answer says `Connection: close`, so
 * the client knows not to send anything else on that connection.
 */

/** The most a refused request's body is read for; past it the connection is closed instead. */
export const DRAIN_MAX_BYTES = MAX_BODY_BYTES
/** How long the rest of a body may take to arrive before the connection is closed instead. */
export const DRAIN_MS = 5_000

/** Reads what is left of `incoming` and drops it; resolves true once it has all come, false if it was given up on. */
function drain(incoming: IncomingMessage, maxBytes: number, ms: number): Promise<boolean> {
  if (incoming.readableEnded) return Promise.resolve(true)
  if (incoming.destroyed) return Promise.resolve(false)
  return new Promise((resolve) => {
    let bytes = 0
    const finish = (whole: boolean) => {
      clearTimeout(timer)
      incoming.off('data', count)
      incoming.off('end', ended)
      incoming.off('close', closed)
      incoming.off('error', closed)
      resolve(whole)
    }
    const count = (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes > maxBytes) finish(false)
    }
    const ended = () => finish(true)
    const closed = () => finish(incoming.readableEnded)
    const timer = setTimeout(() => finish(false), ms)
    // Whoever was reading it (a web stream over it, left locked by a route that stopped early) reads no more.
    incoming.removeAllListeners('data')
    incoming.on('data', count)
    incoming.once('end', ended)
    incoming.once('close', closed)
    incoming.once('error', closed)
    incoming.resume()
  })
}

export function drainUnreadBody(options: { maxBytes?: number; ms?: number } = {}): MiddlewareHandler {
  const { maxBytes = DRAIN_MAX_BYTES, ms = DRAIN_MS } = options
  return async (c, next) => {
    await next()
    // Only a request that came through @hono/node-server has a socket (app.request() in a test has none).
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
    // A GET or HEAD has no body the adapter reads: Node itself drops one that was sent all the same.
    if (!incoming || incoming.readableEnded || c.req.method === 'GET' || c.req.method === 'HEAD') return
    const declared = Number(incoming.headers['content-length'] ?? Number.NaN)
    const whole = declared > maxBytes ? false : await drain(incoming, maxBytes, ms)
    if (!whole) c.res.headers.set('Connection', 'close')
  }
}

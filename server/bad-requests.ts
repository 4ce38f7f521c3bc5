import type { Duplex } from 'node:stream'
import { RequestError } from '@hono/node-server'
import type { ErrorBody } from '../src/api/schemas.ts'

/*
 * Requests that never reach Hono still get the contract's JSON error, never Node's bare "400 Bad Request" or an empty
 * answer: a request line or header Node's HTTP parser refuses (a space or control byte in the path, a header too
 * large), and a request @hono/node-server cannot make a URL of (a backslash in the path, a Host header that is not a
 * host). Nothing of such a request is forwarded anywhere.
 */

const HEADERS = {
  'Content-Type': 'application/json',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
}

const body = (code: number, reason: ErrorBody['reason'], message: string, detail: string) =>
  JSON.stringify({ code, reason, message, metadata: { detail } } satisfies ErrorBody)

/** The answer to a request @hono/node-server could not turn into a Request (errorHandler of getRequestListener). */
export function requestErrorResponse(err: unknown): Response {
  if (err instanceof RequestError)
    return new Response(
      body(400, 'INVALID_REQUEST_BODY', 'The gateway cannot read this request’s address.', `${err.message}: send a plain path under /api.`),
      { status: 400, headers: HEADERS },
    )
  return new Response(body(500, 'TASK_FAILED', 'The gateway hit an unexpected error; try again.', 'unhandled error before routing'), {
    status: 500,
    headers: HEADERS,
  })
}

/** Node's 'clientError': the request could not be parsed at all. Answered once, then the connection closes. */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy()
    return
  }
  const [status, text] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout']
        : [400, 'Bad Request']
  const json = body(status, 'INVALID_REQUEST_BODY', 'The gateway could not read this request.', `HTTP parser: ${err.code ?? err.message}`)
  const head = Object.entries({ ...HEADERS, 'Content-Length': String(Buffer.byteLength(json)), Connection: 'close' })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')
  socket.end(`HTTP/1.1 ${status} ${text}\r\n${head}\r\n${json}`)
}

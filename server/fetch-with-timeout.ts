/*
 * fetch with a time limit, for the forwarder and the video relay. The limit runs until the answer's body is read
 * (or cancelled), not only until its headers: an upstream that stops halfway must not hold a request open forever.
 * Every failure, before or during the body, is a FetchFailure that says whether time ran out or the network failed,
 * so each caller answers 504 or 502 in its own words.
 */

export interface TimeLimit {
  /** Milliseconds; 0 means no limit. */
  timeoutMs: number
  /**
   * 'total': one deadline for the headers and the whole body (a JSON answer).
   * 'idle': the limit applies to the wait for the headers, then to each wait for more bytes, so a long download that
   * keeps moving is not cut and a stalled one is.
   */
  limit: 'total' | 'idle'
  /** Told when the body fails after the headers came (the caller may already have handed the stream on). */
  onBodyFailure?: (failure: FetchFailure) => void
}

export class FetchFailure extends Error {
  constructor(
    /** 'timeout': the limit ran out; 'unreachable': the connection failed or broke. */
    readonly kind: 'timeout' | 'unreachable',
    readonly timeoutMs: number,
    /** From the start of the request. */
    readonly elapsedMs: number,
    /** The system's error code (ECONNREFUSED, ENOTFOUND...), when there is one. */
    readonly code: string | undefined,
    cause: unknown,
  ) {
    super(kind === 'timeout' ? `no answer within ${timeoutMs} ms` : `fetch failed${code ? ` (${code})` : ''}`, { cause })
  }
}

const errorCode = (err: unknown): string | undefined => {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause
  return typeof cause?.code === 'string' ? cause.code : undefined
}

/** The answer once its headers are in; its body is read under the same limit, and fails with a FetchFailure. */
export async function fetchWithTimeout(url: string, init: RequestInit, { timeoutMs, limit, onBodyFailure }: TimeLimit): Promise<Response> {
  const controller = new AbortController()
  const started = Date.now()
  let timedOut = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const arm = () => {
    clearTimeout(timer)
    if (timeoutMs > 0)
      timer = setTimeout(() => {
        timedOut = true
        controller.abort()
      }, timeoutMs)
  }
  const failure = (err: unknown) =>
    new FetchFailure(timedOut ? 'timeout' : 'unreachable', timeoutMs, Date.now() - started, errorCode(err), err)

  let res: Response
  arm()
  try {
    res = await fetch(url, { ...init, signal: controller.signal })
  } catch (err) {
    clearTimeout(timer)
    throw failure(err)
  }
  if (limit === 'idle' || !res.body) clearTimeout(timer)
  if (!res.body) return res
  // Pulled chunk by chunk as the caller reads: nothing is buffered beyond what the stream itself holds.
  const reader = res.body.getReader()
  let cancelled = false
  const body = new ReadableStream<Uint8Array>({
    async pull(stream) {
      if (limit === 'idle') arm()
      try {
        const { done, value } = await reader.read()
        if (limit === 'idle' || done) clearTimeout(timer)
        // A read still pending when the reader cancelled ends as "done": the stream is closed already.
        if (cancelled) return
        if (done) stream.close()
        else stream.enqueue(value)
      } catch (err) {
        clearTimeout(timer)
        if (cancelled) return
        const failed = failure(err)
        onBodyFailure?.(failed)
        stream.error(failed)
      }
    },
    cancel(reason) {
      cancelled = true
      clearTimeout(timer)
      return reader.cancel(reason)
    },
  })
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers })
}

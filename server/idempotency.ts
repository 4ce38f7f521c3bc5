import { createHash } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { contractErrorResponse } from './errors.ts'

/*
 * Idempotency-Key on submits. The studio's submit queue sends each request with the id of its queue item as the key,
 * and sends it again with the same key when a reload cut the first send short. The first request with a key runs;
 * a repeat gets the first one's status and JSON without running again (one task, never two), and a repeat that
 * arrives while the first is still running waits for it. Keys are held in memory for a day, at most MAX_KEYS of them:
 * a gateway restart forgets them, which only matters for a send cut short across the restart.
 *
 * A key names one request: the entry keeps a hash of its method, path and body, and a reuse of the key for another
 * request is refused (422), never answered with the first one's task. Keys are kept apart per provider and per
 * Authorization (a hash of the bearer key, never the key), so two designers' keys never see each other's answers.
 *
 * The header stays here: the forwarder builds the upstream's headers itself, and jiekou.ai is sent none it does not
 * document.
 */

const KEY_PATTERN = /^[A-Za-z0-9_-]{1,100}$/
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000
export const MAX_KEYS = 10_000

/** An answer as it is replayed: what the studio reads (status, JSON, Retry-After). */
interface Answer {
  status: number
  body: ArrayBuffer
  contentType: string | null
  retryAfter: string | null
}

interface Entry {
  at: number
  /** sha256 of the request the key was first used for (method, path, body). */
  request: string
  /** Settles with the first request's answer; undefined when it threw (a repeat then runs itself). */
  answer: Promise<Answer | undefined>
}

/**
 * Whether an answer is kept for repeats. A 429 or a failure that created nothing (5xx other than a timeout) is not: the
 * queue sends again after a 429 with the same key, and that send must run. A 504 is kept: the upstream may have made
 * the task before the gateway stopped waiting, and a repeat must not make a second.
 */
const keeps = (status: number) => status === 504 || (status !== 429 && status < 500)

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly ttlMs = IDEMPOTENCY_TTL_MS,
    private readonly maxKeys = MAX_KEYS,
    private readonly now: () => number = Date.now,
  ) {}

  get(id: string): Entry | undefined {
    const entry = this.entries.get(id)
    if (entry && this.now() - entry.at >= this.ttlMs) {
      this.entries.delete(id)
      return undefined
    }
    return entry
  }

  set(id: string, answer: Promise<Answer | undefined>, request = ''): void {
    const now = this.now()
    // Entries are in the order they came, so the expired ones are at the front; past the bound, the oldest go.
    for (const [key, entry] of this.entries) {
      if (now - entry.at < this.ttlMs && this.entries.size < this.maxKeys) break
      this.entries.delete(key)
    }
    this.entries.set(id, { at: now, request, answer })
  }

  delete(id: string): void {
    this.entries.delete(id)
  }

  get size(): number {
    return this.entries.size
  }
}

const replay = (answer: Answer) => {
  const headers = new Headers({ 'Cache-Control': 'no-store', 'Idempotent-Replayed': 'true' })
  if (answer.contentType) headers.set('Content-Type', answer.contentType)
  if (answer.retryAfter) headers.set('Retry-After', answer.retryAfter)
  return new Response(answer.body.slice(0), { status: answer.status, headers })
}

const sha256 = (...parts: (string | Uint8Array)[]) => {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part)
  return hash.digest('hex')
}

/**
 * Where a key's entry is kept: per provider (`scope`) and per Authorization header. Only a hash of the header goes in
 * the store, so the gateway's memory never holds a designer's key; no header is a scope of its own.
 */
const entryId = (scope: string, c: Context, key: string) => {
  const auth = c.req.header('authorization')
  return `${scope}:${auth === undefined ? 'none' : sha256(auth)}:${key}`
}

/** The fingerprint of one request: a key reused with another one of these is refused. */
const fingerprint = (c: Context, body: ArrayBuffer) => sha256(c.req.method, '\n', new URL(c.req.url).pathname, '\n', new Uint8Array(body))

/** The middleware for one provider's POSTs (`scope` keeps the providers' keys apart). */
export function idempotency(scope: string, store: IdempotencyStore): MiddlewareHandler {
  return async (c, next) => {
    const key = c.req.header('idempotency-key')
    if (c.req.method !== 'POST' || key === undefined) return next()
    if (!KEY_PATTERN.test(key)) {
      return contractErrorResponse(
        c,
        400,
        'INVALID_REQUEST_BODY',
        'The Idempotency-Key header is not valid: use 1 to 100 letters, digits, hyphens or underscores (a UUID fits).',
        { detail: `Idempotency-Key was ${key.length} characters long; allowed: [A-Za-z0-9_-]{1,100}.` },
      )
    }
    const id = entryId(scope, c, key)
    // Read here even when the answer is known (an unread body would cost the client its connection); Hono keeps it
    // for the handler after us.
    const request = fingerprint(c, await c.req.arrayBuffer())
    const known = store.get(id)
    if (known && known.request !== request) {
      return contractErrorResponse(c, 422, 'INVALID_REQUEST_BODY', 'This Idempotency-Key was used for another request.', {
        detail: 'The key was first sent with another method, path or body. Send a new request with a new Idempotency-Key.',
      })
    }
    if (known) {
      const answer = await known.answer
      if (answer) return replay(answer)
    }
    let settle!: (answer: Answer | undefined) => void
    store.set(id, new Promise((resolve) => (settle = resolve)), request)
    try {
      await next()
    } catch (err) {
      store.delete(id)
      settle(undefined)
      throw err
    }
    const res = c.res
    const answer: Answer = {
      status: res.status,
      body: await res.clone().arrayBuffer(),
      contentType: res.headers.get('content-type'),
      retryAfter: res.headers.get('retry-after'),
    }
    if (!keeps(res.status)) store.delete(id)
    // Repeats already waiting get this answer either way: they were the same press.
    settle(answer)
  }
}

/** Where a client asks what became of a submit it sent with a key, without sending it again. */
export const IDEMPOTENCY_LOOKUP_PATH = '/idempotency/:key'

/**
 * GET <provider base>/idempotency/<key>: the first answer to the submit sent with this key (waiting for it while it
 * runs), or 204 when there is none to give (never arrived, forgotten, or not kept: a 429). The queue asks this after a
 * reload cut a send short, so a send that did arrive is not made a second time, not even as a repeat.
 */
export function idempotencyLookup(scope: string, store: IdempotencyStore) {
  return async (c: Context): Promise<Response> => {
    const key = c.req.param('key') ?? ''
    if (!KEY_PATTERN.test(key))
      return contractErrorResponse(
        c,
        400,
        'INVALID_REQUEST_BODY',
        'This is not a valid Idempotency-Key: use 1 to 100 letters, digits, hyphens or underscores.',
      )
    const answer = await store.get(entryId(scope, c, key))?.answer
    if (!answer || !keeps(answer.status)) return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } })
    return replay(answer)
  }
}

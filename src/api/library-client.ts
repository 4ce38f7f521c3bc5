import * as z from 'zod/mini'
import { gatewayGet, gatewaySend, type CallOptions } from './client'
import { httpError } from './errors'
import { errorBodySchema } from './schemas'
import { LIBRARY_BASE, pageOf } from './library-schemas'

/*
 * The library on the gateway (/api/library): reads, writes and the address of a kept file. Every call goes through
 * the one fetch wrapper (client.ts), so its errors are the studio's typed errors with the contract's words.
 */

const path = (p: string) => `${LIBRARY_BASE}${p}`

export function libraryGet<T>(p: string, schema: z.ZodMiniType<T>, opts: CallOptions = {}): Promise<T> {
  return gatewayGet(path(p), schema, opts)
}

export function librarySend<T>(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  p: string,
  body: unknown,
  schema: z.ZodMiniType<T>,
  opts: CallOptions = {},
): Promise<T> {
  return gatewaySend(method, path(p), body, schema, opts)
}

/** The largest page the library gives: a whole list is read in the fewest calls. */
export const PAGE_MAX = 200

/**
 * Every item of a keyset list, page after page (`query` holds its filters, without `?`). A list of 10,000 samples is
 * 50 calls of a few tens of ms each on the gateway.
 */
export async function listAll<T>(p: string, item: z.ZodMiniType<T>, opts: CallOptions & { query?: string } = {}): Promise<T[]> {
  const all: T[] = []
  const schema = pageOf(item)
  let cursor: string | null | undefined
  do {
    const params = new URLSearchParams(opts.query)
    params.set('limit', String(PAGE_MAX))
    if (cursor) params.set('cursor', cursor)
    const page = await libraryGet(`${p}?${params}`, schema, opts)
    all.push(...(page.items as T[]))
    cursor = page.nextCursor
  } while (cursor)
  return all
}

/**
 * Where a kept file plays from (a video, a poster, a frame): by its SHA-256, so it never changes, and the browser
 * caches it for good.
 */
export const libraryFileUrl = (sha256: string) => path(`/files/${sha256}`)

/**
 * A kept file's bytes, read whole (an export zips videos, posters and frames). No timeout of its own: a large video on a
 * slow link takes what it takes; `signal` stops it.
 */
export async function libraryFile(sha256: string, { signal }: { signal?: AbortSignal | undefined } = {}): Promise<Blob> {
  const response = await fetch(new URL(libraryFileUrl(sha256), globalThis.location.href), { signal: signal ?? null })
  if (!response.ok) {
    const body = errorBodySchema.safeParse(await response.json().catch(() => undefined))
    throw httpError(response.status, response.statusText, body.success ? body.data : {}, response.headers.get('Retry-After'))
  }
  return response.blob()
}

/** The change feed's address (server-sent events). */
export const LIBRARY_EVENTS_URL = path('/events')

export const okSchema = z.unknown()

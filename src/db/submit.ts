import type { QueryClient } from '@tanstack/react-query'
import { describeError, isApiError, type ErrorWords } from '../api/errors'
import type { ProviderId } from '../api/gateway-urls'
import { librarySend } from '../api/library-client'
import { libraryKeys, toQueueItem } from '../api/library-queries'
import { itemsOf, queueItemSchema } from '../api/library-schemas'
import { sha256Hex } from '../lib/bytes'
import { cropFrame } from '../lib/frame-crop'
import { findModel } from '../models'
import type { CellRef, QueueItem, StoredRequest } from './db'
import { frameHeld, putFrame } from './frames'
import { buildRequestBody, type FrameEncoding } from './requests'

/*
 * Handing requests to the gateway's submit queue. The studio builds each exact body as it always has (the model's
 * fields, frames cropped and scaled to the output); each stored frame's sent bytes go into the library first, by
 * their SHA-256, and the body names them as {"$blob": sha} where their base64 would be: the runner puts the base64
 * back in only to send. The gateway then sends them in order under the rate limit, a single Generate ahead of a
 * sweep, and writes each one's task.
 */

/** One request to hand over, and where its task belongs. `id` is its idempotency key (made here when absent). */
export interface QueueEntry {
  id?: string | undefined
  provider: ProviderId
  request: StoredRequest
  retryOf?: string | undefined
  experimentId?: string | undefined
  cell?: CellRef | undefined
}

/** A request as POST /requests takes it. */
export interface RequestItem {
  id: string
  provider: ProviderId
  modelPath: string
  request: StoredRequest
  body: Record<string, unknown>
  priority: 'single' | 'sweep'
  experimentId?: string
  cell?: CellRef
  retryOf?: string
}

/** The most requests the gateway takes in one call. */
const POST_MAX = 256

/** Where a frame goes in a body while it is built: a string the model's schema accepts, swapped for {"$blob"} after. */
const standIn = (sha: string) => `$blob:${sha}`

/** The body with every stand-in replaced by the frame's {"$blob": sha}; anything else exactly as built. */
function withBlobs(body: Record<string, unknown>, blobs: ReadonlyMap<string, string>): Record<string, unknown> {
  const swap = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const sha = blobs.get(v)
      return sha === undefined ? v : { $blob: sha }
    }
    if (Array.isArray(v)) return v.map(swap)
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]))
    return v
  }
  return swap(body) as Record<string, unknown>
}

/**
 * The requests, ready for POST /requests: each body built and checked, and every distinct frame it sends put in the
 * library once (a sweep's cells share their frames: one upload each, however many cells). Throws an Error that
 * names the problem when a request cannot be built (a model gone, a body the model's schema refuses, a frame lost).
 */
export async function prepareRequests(entries: readonly QueueEntry[], crop = cropFrame): Promise<RequestItem[]> {
  // The same sent bytes (one Blob, from db/requests' cache) are hashed once.
  const hashed = new WeakMap<Blob, Promise<string>>()
  const uploads = new Map<string, Promise<void>>()
  const blobs = new Map<string, string>()
  const named = (sha: string) => (blobs.set(standIn(sha), sha), standIn(sha))
  const encoding: FrameEncoding = {
    // A frame sent as stored is the library's already, under its own hash: its bytes are not read back.
    asStored: async (ref) => {
      await frameHeld(ref.hash)
      return named(ref.hash)
    },
    sent: async (sent, ref) => {
      let hashing = hashed.get(sent.blob)
      if (!hashing) hashed.set(sent.blob, (hashing = sha256Hex(sent.blob)))
      const sha = await hashing
      if (!uploads.has(sha))
        uploads.set(sha, putFrame(sha, sent.blob, { mime: sent.mime, width: sent.width, height: sent.height, name: ref.name }))
      return named(sha)
    },
  }
  const items: RequestItem[] = []
  // One after another: frames are cropped in one worker anyway, and cells that share a frame reuse its bytes.
  for (const entry of entries) {
    const model = findModel(entry.request.modelId)
    if (!model) throw new Error('This model is not in the studio any more.')
    const built = await buildRequestBody(model, entry.request, crop, encoding)
    if (!built.ok) throw new Error(built.message)
    items.push({
      id: entry.id ?? crypto.randomUUID(),
      provider: entry.provider,
      modelPath: model.path,
      request: entry.request,
      body: withBlobs(built.body, blobs),
      priority: entry.experimentId ? 'sweep' : 'single',
      ...(entry.experimentId ? { experimentId: entry.experimentId } : {}),
      ...(entry.cell ? { cell: entry.cell } : {}),
      ...(entry.retryOf ? { retryOf: entry.retryOf } : {}),
    })
  }
  await Promise.all(uploads.values())
  return items
}

/** Puts items into the cached queue (by id, in the gateway's order: singles first, then oldest), at once. */
export function putQueueItems(client: QueryClient | undefined, items: readonly QueueItem[]): void {
  client?.setQueryData<QueueItem[]>(libraryKeys.queue(), (list) => {
    if (!list) return undefined
    const byId = new Map(list.map((i) => [i.id, i]))
    for (const item of items) byId.set(item.id, item)
    const rank = (i: QueueItem) => (i.priority === 'sweep' ? 1 : 0)
    return [...byId.values()]
      .filter((i) => ['queued', 'sending', 'failed'].includes(i.state))
      .sort((a, b) => rank(a) - rank(b) || a.createdAt - b.createdAt)
  })
}

/**
 * Hands prepared requests to the gateway's queue (a long sweep in parts); the same ids sent again are the same
 * requests, never twins. The queue in the cache shows them at once. Returns the queue items.
 */
export async function postRequests(items: readonly RequestItem[], client?: QueryClient): Promise<QueueItem[]> {
  const queued: QueueItem[] = []
  for (let i = 0; i < items.length; i += POST_MAX) {
    const answer = await librarySend('POST', '/requests', { requests: items.slice(i, i + POST_MAX) }, itemsOf(queueItemSchema))
    queued.push(...answer.items.map(toQueueItem))
  }
  putQueueItems(client, queued)
  return queued
}

/**
 * The words for a failed call to the library: its own answers are written for designers already (the provider's
 * plain words in describeError are for the provider's errors); no answer at all is described as anywhere else.
 */
export function libraryWords(e: unknown): ErrorWords {
  if (!isApiError(e) || e.kind !== 'http') return describeError(e)
  const code = `${e.reason ?? 'HTTP error'}${e.status === undefined ? '' : ` (HTTP ${e.status})`}`
  return { message: e.message, details: e.detail === undefined ? code : `${code}\n${e.detail}` }
}

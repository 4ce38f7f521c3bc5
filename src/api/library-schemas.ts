import * as z from 'zod/mini'

/*
 * The library API's answers (server/library/api/records.ts), as the studio reads them. The records keep the shapes
 * of src/db/db.ts, so the checks here are of the frame of each answer (ids, times, states, pages); the request a
 * record carries is the studio's own, written by it and handed back as it was.
 */

export const LIBRARY_BASE = '/api/library'

const ms = z.number()
const opt = <T extends z.ZodMiniType>(t: T) => z.optional(t)

export const sampleSchema = z.looseObject({
  id: z.string(),
  taskRecordId: z.string(),
  provider: z.enum(['local', 'jiekou']),
  index: z.number(),
  request: z.looseObject({ modelId: z.string() }),
  seed: opt(z.string()),
  createdAt: ms,
  videoUrl: z.string(),
  urlExpiresAt: ms,
  stored: z.boolean(),
  videoSha256: opt(z.string()),
  posterSha256: opt(z.string()),
  storeError: opt(z.string()),
  favourite: z.boolean(),
  deletedAt: opt(ms),
})
export type SampleJson = z.infer<typeof sampleSchema>

export const taskSchema = z.looseObject({
  id: z.string(),
  provider: z.enum(['local', 'jiekou']),
  taskId: z.string(),
  request: z.looseObject({ modelId: z.string() }),
  createdAt: ms,
  status: z.string(),
  reason: z.string(),
  finishedAt: opt(ms),
  seed: opt(z.string()),
  videoCount: opt(z.number()),
  retriedAs: opt(z.string()),
  dismissed: z.boolean(),
  sentAt: opt(ms),
  experimentId: opt(z.string()),
  etaSeconds: opt(z.number()),
  progressPercent: opt(z.number()),
  pollFailures: opt(z.number()),
})
export type TaskJson = z.infer<typeof taskSchema>

export const experimentSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  createdAt: ms,
  rows: z.array(z.string()),
  deletedAt: opt(ms),
})

export const frameSchema = z.object({
  hash: z.string(),
  mime: z.string(),
  width: z.number(),
  height: z.number(),
  bytes: z.number(),
  name: z.string(),
  addedAt: ms,
  thumbSha256: opt(z.string()),
})
export type FrameJson = z.infer<typeof frameSchema>

export const promptSchema = z.object({ text: z.string(), lastUsedAt: ms, uses: z.number() })

/** A request in the gateway's submit queue. */
export const queueItemSchema = z.looseObject({
  id: z.string(),
  createdAt: ms,
  provider: z.enum(['local', 'jiekou']),
  request: z.looseObject({ modelId: z.string() }),
  priority: z.enum(['single', 'sweep']),
  state: z.enum(['queued', 'sending', 'sent', 'failed', 'cancelled']),
  attempts: z.number(),
  sentAt: opt(ms),
  notBefore: opt(ms),
  experimentId: opt(z.string()),
  retryOf: opt(z.string()),
  taskRecordId: opt(z.string()),
})
export type QueueItemJson = z.infer<typeof queueItemSchema>

/** A keyset page of a list: the next page starts after `nextCursor`; null at the end. */
export const pageOf = <T extends z.ZodMiniType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.nullable(z.optional(z.string())) })

export const itemsOf = <T extends z.ZodMiniType>(item: T) => z.object({ items: z.array(item) })

/** One event of the change feed: which kind of thing changed, and which of them. */
export const changeSchema = z.object({
  topic: z.enum(['tasks', 'samples', 'experiments', 'queue', 'prompts', 'frames', 'settings', 'storage', 'workspace']),
  ids: z.array(z.string()),
})
export type Change = z.infer<typeof changeSchema>

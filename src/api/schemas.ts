import { z } from 'zod'

/*
 * The provider contract (shared/API.md), parsed leniently where the provider is loose:
 * a TTL may be a string or a number, and a status we do not know counts as still pending.
 */

/** The contract's one read path: GET <provider base>/v3/async/task-result?task_id=<id>. */
export const TASK_RESULT_PATH = '/v3/async/task-result'

export const FINAL_STATUSES = ['TASK_STATUS_SUCCEED', 'TASK_STATUS_FAILED'] as const
export const KNOWN_STATUSES = ['TASK_STATUS_QUEUED', 'TASK_STATUS_PROCESSING', ...FINAL_STATUSES] as const
export type TaskStatus = (typeof KNOWN_STATUSES)[number] | 'TASK_STATUS_UNKNOWN'

const statusSchema = z
  .string()
  .transform((s): TaskStatus => ((KNOWN_STATUSES as readonly string[]).includes(s) ? (s as TaskStatus) : 'TASK_STATUS_UNKNOWN'))

/** Seconds; "3600" and 3600 both parse. Anything unreadable becomes the documented default. */
const ttlSchema = z.union([z.number(), z.string()]).transform((v) => {
  const n = typeof v === 'number' ? v : Number.parseFloat(v)
  return Number.isFinite(n) && n >= 0 ? n : 3600
})

const optionalNumber = z
  .preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), z.number().finite().optional())
  .catch(undefined)

export const videoSchema = z.object({
  video_url: z.string(),
  video_url_ttl: ttlSchema.catch(3600),
  video_type: z.string().catch('mp4'),
})
export type Video = z.infer<typeof videoSchema>

export const taskResultSchema = z.object({
  task: z.object({
    task_id: z.string(),
    status: statusSchema,
    reason: z
      .string()
      .nullish()
      .transform((v) => v ?? ''),
    task_type: z
      .string()
      .nullish()
      .transform((v) => v ?? ''),
    eta: optionalNumber,
    progress_percent: optionalNumber,
  }),
  videos: z
    .array(videoSchema)
    .nullish()
    .transform((v) => v ?? []),
  extra: z
    .object({
      seed: z.union([z.string(), z.number()]).transform(String).optional().catch(undefined),
      debug_info: z.record(z.string(), z.unknown()).optional().catch(undefined),
    })
    .catchall(z.unknown())
    .nullish()
    .catch(undefined)
    .transform((v) => v ?? {}),
})
export type TaskResult = z.infer<typeof taskResultSchema>
/** What the engine writes: the wire shape before lenient parsing. */
export type TaskResultWire = z.input<typeof taskResultSchema>

export const submitResponseSchema = z.object({ task_id: z.string().min(1) })
export type SubmitResponse = z.infer<typeof submitResponseSchema>

/** The gateway's own answer at /api/config (server/app.ts): whether it holds a jiekou.ai key, never the key. */
export const gatewayConfigSchema = z.object({ serverHoldsKey: z.boolean() })
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>

/** The gateway's own check of a frame URL (server/frame-check.ts): GET FRAME_CHECK_PATH?url=<encoded URL>. */
export const FRAME_CHECK_PATH = '/api/frame-check'

/** Its answer: what the engine would find at that URL. A refusal is a contract error (400, a plain message). */
export const frameCheckSchema = z.object({
  mime: z.enum(['image/png', 'image/jpeg']),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().nonnegative(),
})
export type FrameCheck = z.infer<typeof frameCheckSchema>

export const errorBodySchema = z.object({
  code: z.number().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
})
export type ErrorBody = z.infer<typeof errorBodySchema>

/** The reasons the contract names (shared/API.md, Errors). */
export type ErrorReason =
  | 'INVALID_API_KEY'
  | 'FAILED_TO_AUTH'
  | 'NOT_ENOUGH_BALANCE'
  | 'ACCESS_DENY'
  | 'INVALID_REQUEST_BODY'
  | 'MODEL_NOT_FOUND'
  | 'TASK_NOT_FOUND'
  | 'ILLEGAL_PROMPT'
  | 'ILLEGAL_IMAGE_CONTENT'
  | 'RATE_LIMIT_EXCEEDED'
  | 'TOKEN_LIMIT_EXCEEDED'
  | 'SERVICE_NOT_AVAILABLE'
  | 'TASK_FAILED'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'UPSTREAM_UNREACHABLE'

export const isFinalStatus = (s: TaskStatus) => (FINAL_STATUSES as readonly string[]).includes(s)

import * as z from 'zod/mini'

// zod/mini keeps classic zod out of the first-paint bundle; unlike classic it ships no messages, so load the
// English ones: the default messages ("Invalid input: expected string, received number") stay what they were.
z.config(z.locales.en())

/*
 * The provider contract (shared/API.md), parsed leniently where the provider is loose:
 * a TTL may be a string or a number, and a status we do not know counts as still pending.
 */

/** The contract's one read path: GET <provider base>/v3/async/task-result?task_id=<id>. */
export const TASK_RESULT_PATH = '/v3/async/task-result'

export const FINAL_STATUSES = ['TASK_STATUS_SUCCEED', 'TASK_STATUS_FAILED'] as const
export const KNOWN_STATUSES = ['TASK_STATUS_QUEUED', 'TASK_STATUS_PROCESSING', ...FINAL_STATUSES] as const
export type TaskStatus = (typeof KNOWN_STATUSES)[number] | 'TASK_STATUS_UNKNOWN'

const statusSchema = z.pipe(
  z.string(),
  z.transform((s: string): TaskStatus => ((KNOWN_STATUSES as readonly string[]).includes(s) ? (s as TaskStatus) : 'TASK_STATUS_UNKNOWN')),
)

/** Seconds; "3600" and 3600 both parse. Anything unreadable becomes the documented default. */
const ttlSchema = z.pipe(
  z.union([z.number(), z.string()]),
  z.transform((v: number | string) => {
    const n = typeof v === 'number' ? v : Number.parseFloat(v)
    return Number.isFinite(n) && n >= 0 ? n : 3600
  }),
)

/**
 * Classic zod's z.preprocess, which mini lacks: the same pipe (a transform, then the schema), typed as classic types
 * it, so a key it guards stays optional in the wire type (TaskResultWire).
 */
const preprocess = <B extends z.core.$ZodType>(fn: (v: unknown) => unknown, schema: B) =>
  z.pipe(z.transform(fn), schema) as unknown as z.core.$ZodPreprocess<B>

/** A number, or a numeric string read as one; anything else is undefined. */
const optionalNumber = z.catch(
  preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), z.optional(z.number())),
  undefined,
)

/** A string, or '' when null or missing. */
const stringOrEmpty = z.pipe(
  z.nullish(z.string()),
  z.transform((v: string | null | undefined) => v ?? ''),
)

export const videoSchema = z.object({
  video_url: z.string(),
  video_url_ttl: z.catch(ttlSchema, 3600),
  video_type: z.catch(z.string(), 'mp4'),
})
export type Video = z.infer<typeof videoSchema>

/** The provider's extras: a seed read as a string, and every other key kept as it came. */
const extraSchema = z.catch(
  z.nullish(
    z.catchall(
      z.object({
        seed: z.catch(z.optional(z.pipe(z.union([z.string(), z.number()]), z.transform(String))), undefined),
        debug_info: z.catch(z.optional(z.record(z.string(), z.unknown())), undefined),
      }),
      z.unknown(),
    ),
  ),
  undefined,
)

export const taskResultSchema = z.object({
  task: z.object({
    task_id: z.string(),
    status: statusSchema,
    reason: stringOrEmpty,
    task_type: stringOrEmpty,
    eta: optionalNumber,
    progress_percent: optionalNumber,
  }),
  videos: z.pipe(
    z.nullish(z.array(videoSchema)),
    z.transform((v: Video[] | null | undefined) => v ?? []),
  ),
  extra: z.pipe(
    extraSchema,
    z.transform((v: z.output<typeof extraSchema>) => v ?? {}),
  ),
})
export type TaskResult = z.infer<typeof taskResultSchema>
/** What the engine writes: the wire shape before lenient parsing. */
export type TaskResultWire = z.input<typeof taskResultSchema>

export const submitResponseSchema = z.object({ task_id: z.string().check(z.minLength(1)) })
export type SubmitResponse = z.infer<typeof submitResponseSchema>

/** The gateway's own answer at /api/config (server/app.ts): whether it holds a jiekou.ai key, never the key. */
export const gatewayConfigSchema = z.object({ serverHoldsKey: z.boolean() })
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>

/** The gateway's own check of a frame URL (server/frame-check.ts): GET FRAME_CHECK_PATH?url=<encoded URL>. */
export const FRAME_CHECK_PATH = '/api/frame-check'

/** Its answer: what the engine would find at that URL. A refusal is a contract error (400, a plain message). */
export const frameCheckSchema = z.object({
  mime: z.enum(['image/png', 'image/jpeg']),
  width: z.number().check(z.int(), z.positive()),
  height: z.number().check(z.int(), z.positive()),
  bytes: z.number().check(z.int(), z.nonnegative()),
})
export type FrameCheck = z.infer<typeof frameCheckSchema>

export const errorBodySchema = z.object({
  code: z.optional(z.number()),
  reason: z.optional(z.string()),
  message: z.optional(z.string()),
  metadata: z.nullish(z.record(z.string(), z.unknown())),
})
export type ErrorBody = z.infer<typeof errorBodySchema>

/**
 * The gateway's own check of a provider, for the header's badge (server/provider-status.ts): GET <provider base>
 * PROVIDER_STATUS_PATH. It always answers 200, so a health check is never logged as a failed request.
 */
export const PROVIDER_STATUS_PATH = '/provider-status'

export const PROVIDER_STATES = ['ok', 'unreachable', 'key-refused', 'no-key'] as const
export type ProviderState = (typeof PROVIDER_STATES)[number]

/**
 * Its answer: the provider's state and, when it is not ok, what the gateway's probe met: the HTTP status, the
 * contract's error body and any Retry-After, so the studio words it as it words any error. Never the key.
 */
export const providerStatusSchema = z.object({
  state: z.enum(PROVIDER_STATES),
  status: z.optional(z.number()),
  error: z.optional(errorBodySchema),
  retryAfter: z.optional(z.string()),
})
export type ProviderStatusAnswer = z.infer<typeof providerStatusSchema>

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

import { Hono, type Context } from 'hono'
import {
  PROVIDER_STATUS_PATH,
  TASK_RESULT_PATH,
  errorBodySchema,
  type ErrorBody,
  type ProviderState,
  type ProviderStatusAnswer,
} from '../src/api/schemas.ts'
import type { GatewayConfig } from './config.ts'
import { authorization, forwardTo } from './forwarder.ts'
import { IssuedUrls } from './issued-urls.ts'
import { redact, type Logger } from './logger.ts'

/*
 * GET /api/<provider>/provider-status: whether the provider answers, for the studio's header badge. A health check
 * answers 200 whatever it found: the state, and when it is not ok the contract error the probe met (status, body,
 * Retry-After), which the studio words as it words that error anywhere else.
 * - The local engine is this process: it is ok, and nothing is asked.
 * - jiekou.ai is asked for the result of a task id that cannot exist, through the forwarder itself, so the key it
 *   uses (the server's wins, else the browser's), the deadline, and the errors for a provider that is down or answers
 *   nonsense are those of a forwarded poll. A 404 (TASK_NOT_FOUND) means it answered, and knew the key.
 */

/** The task id the probe asks about: no task has it, so the provider's answer is a 404 when all is well. */
export const PROBE_TASK_ID = 'studio-reachability-check'
/** The probe's own deadline (JIEKOU_TIMEOUT_MS when shorter), inside the studio's 15 s for the whole check. */
export const PROBE_TIMEOUT_MS = 10_000

interface ProviderStatusDeps {
  config: GatewayConfig
  logger: Logger
  /** The key kept by the gateway from Settings, used when JIEKOU_API_KEY is not set. */
  keptKey?: (() => string | undefined) | undefined
}

/** What the probe's answer says of the provider. */
function stateOf(status: number, reason: string | undefined): ProviderState {
  if (status < 300 || status === 404) return 'ok'
  if (status === 401 || status === 403) return 'key-refused'
  if (status === 502 || status === 504 || reason === 'UPSTREAM_UNREACHABLE') return 'unreachable'
  // Busy (429, 503) or refusing something else: it answered, which is all the badge asks.
  return 'ok'
}

/** Every string in `value` with the secrets scrubbed: a provider's error that echoes the request must not hand a key on. */
function scrub(value: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (typeof value === 'string') return redact(value, secrets)
  if (Array.isArray(value)) return value.map((v) => scrub(v, secrets))
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k, secrets), scrub(v, secrets)]))
  return value
}

/** The probe's answer as JSON, or undefined when it is not (the forwarder always answers JSON, but be sure). */
async function jsonOf(res: Response): Promise<unknown> {
  try {
    return (await res.json()) as unknown
  } catch {
    return undefined
  }
}

/** The routes, to mount at /api. */
export function providerStatusRoutes({ config, logger, keptKey }: ProviderStatusDeps): Hono {
  const timeoutMs = config.upstreamTimeoutMs > 0 ? Math.min(config.upstreamTimeoutMs, PROBE_TIMEOUT_MS) : PROBE_TIMEOUT_MS
  // A forwarder of its own, in process: the probe's result hands out no video, so it learns none.
  const probe = new Hono().get(
    TASK_RESULT_PATH,
    forwardTo({ config: { ...config, upstreamTimeoutMs: timeoutMs }, logger, issued: new IssuedUrls(), keptKey }, 'GET', TASK_RESULT_PATH),
  )

  const answer = (c: Context, body: ProviderStatusAnswer) => {
    // Every answer is about one moment of the provider.
    c.header('Cache-Control', 'no-store')
    return c.json(body, 200)
  }

  const routes = new Hono()
  routes.get(`/local${PROVIDER_STATUS_PATH}`, (c) => answer(c, { state: 'ok' }))
  routes.get(`/jiekou${PROVIDER_STATUS_PATH}`, async (c) => {
    const sent = c.req.header('authorization')
    // With no key anywhere the forwarder asks nobody and answers its own 401, which the studio words as "No key yet".
    const keyed = authorization(config.jiekouApiKey ?? keptKey?.(), sent) !== undefined
    const res = await probe.request(`${TASK_RESULT_PATH}?task_id=${PROBE_TASK_ID}`, { headers: sent ? { Authorization: sent } : {} })
    const parsed = errorBodySchema.safeParse(await jsonOf(res))
    const body: ErrorBody = parsed.success ? parsed.data : {}
    const state = keyed ? stateOf(res.status, body.reason) : 'no-key'
    if (state === 'ok') return answer(c, { state })
    const token = sent?.trim().replace(/^bearer\s+/i, '')
    const retryAfter = res.headers.get('retry-after')
    return answer(c, {
      state,
      status: res.status,
      error: scrub(body, [config.jiekouApiKey, keptKey?.(), token]) as ErrorBody,
      ...(retryAfter ? { retryAfter } : {}),
    })
  })
  return routes
}

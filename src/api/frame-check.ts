import { z } from 'zod'
import { gatewayGet } from './client'
import { isApiError } from './errors'

/** The gateway's answer about an image address it could fetch (server/frame-check.ts). */
export const frameCheckSchema = z.object({
  mime: z.enum(['image/png', 'image/jpeg']),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().nonnegative(),
})
export type FrameCheck = z.infer<typeof frameCheckSchema>

export const FRAME_CHECK_PATH = '/api/frame-check'

/** Checks may fetch up to 20 MB from a slow host: the gateway has its own limit, this one only stops a hang. */
const CHECK_TIMEOUT_MS = 45_000

export type FrameCheckResult = { ok: true; frame: FrameCheck } | { ok: false; message: string }

/**
 * Asks the gateway whether it can fetch `url` as a JPEG or PNG, as the provider will have to. A refusal
 * carries the gateway's plain sentence about the address ("This address can't be reached. Check the link…").
 */
export async function checkFrameUrl(url: string, signal?: AbortSignal): Promise<FrameCheckResult> {
  try {
    const frame = await gatewayGet(`${FRAME_CHECK_PATH}?url=${encodeURIComponent(url)}`, frameCheckSchema, {
      signal,
      timeoutMs: CHECK_TIMEOUT_MS,
    })
    return { ok: true, frame }
  } catch (e) {
    if (signal?.aborted) throw e
    return { ok: false, message: isApiError(e) || e instanceof Error ? e.message : String(e) }
  }
}

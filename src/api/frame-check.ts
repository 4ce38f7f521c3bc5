import { gatewayGet } from './client'
import { isApiError } from './errors'
import { FRAME_CHECK_PATH, frameCheckSchema, type FrameCheck } from './schemas'

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

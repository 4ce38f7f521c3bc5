/*
 * The URLs of our gateway the studio uses. The browser never talks to a provider directly: it talks to the gateway,
 * which forwards (server/proxy.ts) or answers itself (server/app.ts). The one path the gateway shares with the
 * studio, FRAME_CHECK_PATH, sits with its schema in schemas.ts, the only api file the server may import.
 */

export type ProviderId = 'local' | 'jiekou'

/** One base per provider: the contract's paths (e.g. /v3/async/task-result) go after it. */
export const PROVIDER_BASE: Record<ProviderId, string> = {
  local: '/api/local',
  jiekou: '/api/jiekou',
}

/** What the gateway says about itself (whether it holds a key), never the key. */
export const GATEWAY_CONFIG_PATH = '/api/config'

/**
 * Where the browser can fetch a result video: the local engine serves its own files from our origin; a
 * provider's CDN may refuse cross-origin reads, so those go through the gateway's relay (which serves only URLs
 * a forwarded task result handed out).
 */
export function videoFetchUrl(provider: ProviderId, videoUrl: string): string {
  return provider === 'jiekou' ? `${PROVIDER_BASE.jiekou}/video?url=${encodeURIComponent(videoUrl)}` : videoUrl
}

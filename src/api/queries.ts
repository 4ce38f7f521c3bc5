import { queryOptions } from '@tanstack/react-query'
import { getGatewayConfig, getProviderStatus, type Connection } from './client'
import { describeError, httpError, isApiError, type ErrorWords } from './errors'
import type { ProviderState, ProviderStatusAnswer } from './schemas'

/*
 * The gateway's own answers (its config, its check of the provider): key, fetcher and pace together, one factory per
 * resource. A key never holds the API key. The library's queries are in library-queries.ts.
 */

/** What the gateway says about itself. It changes only when the server restarts, so a minute is fresh enough. */
export const gatewayConfigQuery = () =>
  queryOptions({
    queryKey: ['gateway-config'] as const,
    queryFn: ({ signal }) => getGatewayConfig({ signal }),
    staleTime: 60_000,
  })

/**
 * Whether the provider answers, for the header's badge: `ok`, `unreachable` (the gateway or the provider cannot be
 * reached), `key-refused`, or `no-key` (jiekou.ai with no key here or on the server, so it was not asked). `words`
 * say why, for the badge's title.
 */
export interface ProviderStatus {
  state: ProviderState
  words?: ErrorWords
}

/**
 * The gateway's answer about the provider. When it is not ok, the error its probe met comes inside, and is read back
 * into the ApiError the studio would have had from that answer, so the words are the same as anywhere else.
 */
export function providerStatusOf(answer: ProviderStatusAnswer): ProviderStatus {
  if (answer.state === 'ok') return { state: 'ok' }
  if (answer.status === undefined || !answer.error) return { state: answer.state }
  return { state: answer.state, words: describeError(httpError(answer.status, '', answer.error, answer.retryAfter)) }
}

/** When the gateway's check itself fails: a gateway that cannot be reached (or answers nonsense) is `unreachable`. */
export function providerStatusOfFailure(error: unknown): ProviderStatus {
  if (!isApiError(error)) return { state: 'ok' }
  if (error.kind !== 'http' || error.reason === 'UPSTREAM_UNREACHABLE' || error.status === 502 || error.status === 504)
    return { state: 'unreachable', words: describeError(error) }
  return { state: 'ok' }
}

/**
 * A light check of the provider, made by the gateway (server/provider-status.ts): for jiekou.ai one task-result call
 * upstream for an id that cannot exist; for the local engine none. Once a minute at most and every two minutes while
 * the studio is open, so the provider is never hammered; the key itself stays out of the query key (only whether
 * there is one).
 */
export const providerStatusQuery = (conn: Connection) =>
  queryOptions({
    queryKey: ['provider-status', conn.provider, Boolean(conn.apiKey)] as const,
    queryFn: async ({ signal }): Promise<ProviderStatus> => {
      try {
        return providerStatusOf(await getProviderStatus(conn, { signal, timeoutMs: 15_000 }))
      } catch (e) {
        if (signal.aborted) throw e
        return providerStatusOfFailure(e)
      }
    },
    staleTime: 60_000,
    refetchInterval: 120_000,
    retry: false,
  })

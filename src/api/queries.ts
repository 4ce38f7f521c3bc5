import { queryOptions, type Query, type QueryClient } from '@tanstack/react-query'
import { getGatewayConfig, getProviderStatus, getTaskResult, type Connection } from './client'
import { describeError, httpError, isApiError, type ErrorWords } from './errors'
import { nextPollDelay, sampleOf } from './poll-interval'
import { pollTurn } from './poll-turns'
import { predictedEnd, type PollSample } from './task-end'
import type { ProviderState, ProviderStatusAnswer, TaskResult } from './schemas'

/*
 * Query keys, fetchers and polling rules together, one factory per resource. A key never holds the API key.
 */

/**
 * Failed polls in a row, per task-result query. TanStack Query resets its own failure count at every fetch (and
 * with `retry: false` it never passes 1), so the backoff keeps its own. Keyed by the cached Query, so the count
 * goes when the cache lets the query go, and two QueryClients never share one.
 */
const failuresInARow = new WeakMap<object, number>()
/** What each task-result query's polls have seen (the last few), for the rule's prediction of the task's end. */
const seenByQuery = new WeakMap<object, PollSample[]>()
const SAMPLES_KEPT = 12

/** When to poll a task-result query again (or false to stop): the polling rule, fed with this query's state. */
export function taskResultPollDelay(query: Pick<Query<TaskResult>, 'state'>): number | false {
  return nextPollDelay({
    data: query.state.data,
    error: query.state.error,
    failures: failuresInARow.get(query) ?? 0,
    hidden: document.visibilityState === 'hidden',
    samples: seenByQuery.get(query),
  })
}

/** Failed polls in a row of one task's result (0 when its last poll succeeded, or it was never polled). */
export function taskPollFailures(client: QueryClient, conn: Connection, taskId: string): number {
  const query = client.getQueryCache().find({ queryKey: taskQueries.detail(conn, taskId).queryKey, exact: true })
  return query ? (failuresInARow.get(query) ?? 0) : 0
}

/**
 * Seconds left by the task's pace of progress, as of its last answer, when the provider sends no ETA of its own and
 * two answers have measured the pace (task-end.ts); undefined otherwise.
 */
export function taskPacedEta(client: QueryClient, conn: Connection, taskId: string): number | undefined {
  const query = client.getQueryCache().find({ queryKey: taskQueries.detail(conn, taskId).queryKey, exact: true })
  const samples = query ? seenByQuery.get(query) : undefined
  const last = samples?.at(-1)
  const end = samples && predictedEnd(samples)
  if (!last || !end?.measured || last.eta !== undefined) return undefined
  return Math.max(0, (end.at - last.at) / 1000)
}

/** Retry on a task polling gave up on: its count starts again, so the back-off does too. */
export function resetTaskPollFailures(client: QueryClient, conn: Connection, taskId: string): void {
  const query = client.getQueryCache().find({ queryKey: taskQueries.detail(conn, taskId).queryKey, exact: true })
  if (query) failuresInARow.delete(query)
}

export const taskQueries = {
  all: () => ['task-result'] as const,
  /**
   * One task's result, polled until it is final. Only the task's poller fetches it; its card reads the same query
   * with `enabled: false`, so every task has exactly one poller.
   */
  detail: (conn: Connection, taskId: string) =>
    queryOptions({
      queryKey: [...taskQueries.all(), conn.provider, taskId] as const,
      queryFn: async ({ client, queryKey, signal }) => {
        const query = client.getQueryCache().find({ queryKey, exact: true })
        try {
          await pollTurn(signal)
          const result = await getTaskResult(conn, taskId, { signal })
          if (query) {
            failuresInARow.delete(query)
            seenByQuery.set(query, [...(seenByQuery.get(query) ?? []), sampleOf(result, Date.now())].slice(-SAMPLES_KEPT))
          }
          return result
        } catch (e) {
          // A poll we cancelled ourselves is not a failure of the provider; nor is a gateway that cannot be reached
          // (that is being offline: polling pauses for it, see connectivity.ts).
          const counts = !signal.aborted && !(isApiError(e) && e.kind === 'network')
          if (query && counts) failuresInARow.set(query, (failuresInARow.get(query) ?? 0) + 1)
          throw e
        }
      },
      // The polling rule decides when to try again (backing off on 429/5xx); a retry here would poll twice.
      retry: false,
      refetchInterval: taskResultPollDelay,
      // A render goes on while the designer is in another tab; the rule slows down there instead of stopping.
      refetchIntervalInBackground: true,
    }),
}

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
        // jiekou.ai's check is a task-result call upstream, which counts against the provider as a poll does.
        if (conn.provider === 'jiekou') await pollTurn(signal)
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

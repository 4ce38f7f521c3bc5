import { queryOptions, type Query } from '@tanstack/react-query'
import { getGatewayConfig, getTaskResult, type Connection } from './client'
import { nextPollDelay } from './poll-interval'
import type { TaskResult } from './schemas'

/*
 * Query keys, fetchers and polling rules together, one factory per resource. A key never holds the API key.
 */

/**
 * Failed polls in a row, per task-result query. TanStack Query resets its own failure count at every fetch (and
 * with `retry: false` it never passes 1), so the backoff keeps its own. Keyed by the cached Query, so the count
 * goes when the cache lets the query go, and two QueryClients never share one.
 */
const failuresInARow = new WeakMap<object, number>()

/** When to poll a task-result query again (or false to stop): the polling rule, fed with this query's state. */
export function taskResultPollDelay(query: Pick<Query<TaskResult>, 'state'>): number | false {
  return nextPollDelay({
    data: query.state.data,
    error: query.state.error,
    failures: failuresInARow.get(query) ?? 0,
    hidden: document.visibilityState === 'hidden',
  })
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
          const result = await getTaskResult(conn, taskId, { signal })
          if (query) failuresInARow.delete(query)
          return result
        } catch (e) {
          // A poll we cancelled ourselves is not a failure of the provider.
          if (query && !signal.aborted) failuresInARow.set(query, (failuresInARow.get(query) ?? 0) + 1)
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

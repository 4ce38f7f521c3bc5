import { queryOptions } from '@tanstack/react-query'
import { getGatewayConfig, getTaskResult, type Connection } from './client'

/** Query keys and fetchers together, one factory per resource. The key never holds the API key. */
export const taskQueries = {
  all: () => ['task-result'] as const,
  detail: (conn: Connection, taskId: string) =>
    queryOptions({
      queryKey: [...taskQueries.all(), conn.provider, taskId] as const,
      queryFn: ({ signal }) => getTaskResult(conn, taskId, { signal }),
    }),
}

/** What the gateway says about itself. It changes only when the server restarts, so a minute is fresh enough. */
export const gatewayConfigQuery = () =>
  queryOptions({
    queryKey: ['gateway-config'] as const,
    queryFn: ({ signal }) => getGatewayConfig({ signal }),
    staleTime: 60_000,
  })

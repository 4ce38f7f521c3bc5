import { queryOptions } from '@tanstack/react-query'
import { getTaskResult, type Connection } from './client'

/** Query keys and fetchers together, one factory per resource. The key never holds the API key. */
export const taskQueries = {
  all: () => ['task-result'] as const,
  detail: (conn: Connection, taskId: string) =>
    queryOptions({
      queryKey: [...taskQueries.all(), conn.provider, taskId] as const,
      queryFn: ({ signal }) => getTaskResult(conn, taskId, { signal }),
    }),
}

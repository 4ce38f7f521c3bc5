import { QueryClient, QueryClientProvider, onlineManager } from '@tanstack/react-query'
import { useState, type ReactNode } from 'react'
import { isOnline, subscribeConnectivity } from '../api/connectivity'

/*
 * TanStack Query pauses fetches while offline. "Offline" here is the studio's own connectivity: the browser's network
 * and whether the gateway answers, so polling waits for a stopped gateway as it waits for a dropped network, and
 * goes on by itself when it is back.
 */
onlineManager.setEventListener((setOnline) => subscribeConnectivity(() => setOnline(isOnline())))

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          // Task polling decides its own pace and retries (api/poll-interval.ts).
          queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 0 },
          mutations: { retry: false },
        },
      }),
  )
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>
}

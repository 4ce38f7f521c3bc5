import { QueryClient, QueryClientProvider, onlineManager } from '@tanstack/react-query'
import { useEffect, useState, type ReactNode } from 'react'
import { isOnline, subscribeConnectivity } from '../api/connectivity'
import { openLibraryFeed } from '../api/library-feed'
import { applyLibraryChange } from '../api/library-queries'

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
  // The gateway's change feed keeps every library query of this tab fresh (where there is no EventSource, as in
  // jsdom, the queries poll instead).
  useEffect(() => (typeof EventSource === 'undefined' ? undefined : openLibraryFeed(client, applyLibraryChange)), [client])
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>
}

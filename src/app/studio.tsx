import { App } from './app'
import { Providers } from './providers'

/**
 * The studio itself: compose, the gallery, the tasks, and what they stand on (TanStack Query, Dexie, zod). It is its
 * own chunk, requested as soon as the entry runs, so the first paint needs only React and the studio's frame.
 */
export default function Studio() {
  return (
    <Providers>
      <App />
    </Providers>
  )
}

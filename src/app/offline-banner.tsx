import { useOnline } from '../lib/use-online'

/**
 * Offline, one line across the studio says so and what happens next: nothing is sent or checked while the network
 * is gone, and everything goes on by itself when it is back. Nothing is lost meanwhile.
 */
export function OfflineBanner() {
  const online = useOnline()
  return (
    <div role="status" className="shrink-0">
      {!online && (
        <p className="border-b border-amber-800/60 bg-amber-950/40 px-4 py-1.5 text-ui text-amber-200">
          You are offline. Sending and checking on tasks wait, and go on by themselves when the network is back; nothing is lost.
        </p>
      )}
    </div>
  )
}

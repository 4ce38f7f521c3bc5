import { useConnectivity } from '../api/connectivity'

/**
 * Offline, or with the gateway gone, one line across the studio says so and what happens next: a press waits in the
 * browser and goes by itself when the connection is back (offline, the gateway meanwhile carries on with the tasks it
 * already has). Nothing is lost meanwhile.
 */
export function OfflineBanner() {
  const state = useConnectivity()
  return (
    <div role="status" className="shrink-0">
      {state !== 'online' && (
        <p className="border-b border-amber-800/60 bg-amber-950/40 px-4 py-1.5 text-ui text-amber-200">
          {state === 'offline'
            ? 'You are offline. The gateway goes on with the tasks it has; what you send now waits here and goes by itself when the network is back; nothing is lost.'
            : "The studio can't reach its gateway. Sending and checking on tasks wait, and go on by themselves when it answers again; nothing is lost. If this lasts, check that the gateway is still running."}
        </p>
      )}
    </div>
  )
}

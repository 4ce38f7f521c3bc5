import { useSyncExternalStore } from 'react'
import { GATEWAY_CONFIG_PATH } from './gateway-urls'

/**
 * Whether the studio can talk to its gateway: `online`; `offline` (the browser says it has no network); or
 * `unreachable` (the browser has a network, but the gateway does not answer: stopped, restarting, a dropped Wi-Fi
 * the browser has not noticed). The last two are the same fault for a designer: nothing can be sent or checked, so
 * nothing is (polling and the submit queue pause), a banner says so, and everything goes on by itself when the
 * gateway answers again.
 */
export type Connectivity = 'online' | 'offline' | 'unreachable'

const FIRST_PROBE_MS = 1_000
const MAX_PROBE_MS = 15_000
const PROBE_TIMEOUT_MS = 10_000

let unreachable = false
let probeTimer: ReturnType<typeof setTimeout> | undefined
let probeDelay = FIRST_PROBE_MS
let waitingForNetwork = false
const listeners = new Set<() => void>()

const browserOnline = () => typeof navigator === 'undefined' || navigator.onLine !== false

export function connectivity(): Connectivity {
  if (!browserOnline()) return 'offline'
  return unreachable ? 'unreachable' : 'online'
}

/** Whether a request may go out now. */
export const isOnline = () => connectivity() === 'online'

/** Calls `onChange` whenever connectivity() may have changed; returns the unsubscribe. */
export function subscribeConnectivity(onChange: () => void): () => void {
  listeners.add(onChange)
  globalThis.addEventListener?.('online', onChange)
  globalThis.addEventListener?.('offline', onChange)
  return () => {
    listeners.delete(onChange)
    globalThis.removeEventListener?.('online', onChange)
    globalThis.removeEventListener?.('offline', onChange)
  }
}

function setUnreachable(value: boolean): void {
  if (unreachable === value) return
  unreachable = value
  // A listener may unsubscribe while called: go through a copy.
  for (const listener of Array.from(listeners)) listener()
}

/** Any answer from the gateway (even an error status) proves it is there. */
export function noteGatewayAnswered(): void {
  clearTimeout(probeTimer)
  probeTimer = undefined
  probeDelay = FIRST_PROBE_MS
  setUnreachable(false)
}

/**
 * A request found no gateway. From now on requests wait, and a light probe (GET /api/config: no provider is asked)
 * looks for it again, at 1 s doubling to 15 s; the browser's 'online' event probes at once.
 */
export function noteGatewayUnreachable(): void {
  setUnreachable(true)
  if (probeTimer === undefined) scheduleProbe()
}

function scheduleProbe(): void {
  probeTimer = setTimeout(() => void probe(), probeDelay)
  probeDelay = Math.min(MAX_PROBE_MS, probeDelay * 2)
}

async function probe(): Promise<void> {
  probeTimer = undefined
  if (!unreachable) return
  if (!browserOnline()) {
    // The browser's own 'online' event brings the probe back.
    if (!waitingForNetwork) {
      waitingForNetwork = true
      globalThis.addEventListener?.('online', () => ((waitingForNetwork = false), void probe()), { once: true })
    }
    return
  }
  try {
    const response = await fetch(new URL(GATEWAY_CONFIG_PATH, globalThis.location.href), {
      cache: 'no-store',
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    })
    // Whatever it says, it answered.
    void response.body?.cancel()
    noteGatewayAnswered()
  } catch {
    if (unreachable && probeTimer === undefined) scheduleProbe()
  }
}

/** The studio's connectivity, kept current for React. */
export function useConnectivity(): Connectivity {
  return useSyncExternalStore(subscribeConnectivity, connectivity, () => 'online')
}

/** Whether requests may go out now (see Connectivity). */
export const useOnline = () => useConnectivity() === 'online'

/** For tests: forget what was learnt. */
export function resetConnectivity(): void {
  clearTimeout(probeTimer)
  probeTimer = undefined
  probeDelay = FIRST_PROBE_MS
  unreachable = false
}

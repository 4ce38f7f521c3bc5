import { useSyncExternalStore } from 'react'
import type { ErrorWords } from '../../api/errors'
import type { ProviderId } from '../../api/gateway-urls'
import type { TaskRecord } from '../../db/db'

/*
 * What the submit queue's runner tells the pages: the outcome of each send and its plan (who is next, when). The runner
 * runs in one tab only (a Web Lock), so it speaks on a BroadcastChannel: a caller in another tab, or in its own (a
 * separate channel object hears it too), learns the same way. This file is in the first-paint bundle; the runner is not.
 */

export const QUEUE_CHANNEL = 'veo-studio.submit-queue'

/** The runner's plan, sent whenever it decides what to do next. */
export interface QueuePlan {
  /** When the plan was made. */
  at: number
  /** The item whose request is out now. */
  sending?: string | undefined
  /** Items waiting to be sent, in order, with the earliest time each may go. */
  waiting: { id: string; sendsAt: number }[]
  /** What holds the next send back: the rate window, a 429's pause, or no network (nothing is sent while offline). */
  reason: 'ready' | 'window' | 'paused' | 'offline'
  /** The provider whose 429 (or passing failure) paused the queue. */
  pausedBy?: ProviderId | undefined
  /** Why the queue is paused: the provider's 429, or a send that failed for a passing reason and waits to go again. */
  pauseCause?: 'rate-limit' | 'trouble' | undefined
  /** Requests per minute the plan was made for. */
  limit: number
}

export type QueueMessage =
  | { type: 'plan'; plan: QueuePlan }
  | { type: 'sent'; itemId: string; task: TaskRecord }
  | { type: 'failed'; itemId: string; error: ErrorWords }

let channel: BroadcastChannel | undefined
const listeners = new Set<(message: QueueMessage) => void>()
let plan: QueuePlan | undefined
const planListeners = new Set<() => void>()

/** The tab's one listening channel, opened on first use. */
function listen(): void {
  if (channel || typeof BroadcastChannel === 'undefined') return
  channel = new BroadcastChannel(QUEUE_CHANNEL)
  channel.addEventListener('message', (e: MessageEvent<QueueMessage>) => deliver(e.data))
}

/** Hands a message to this tab's listeners (the runner calls this itself where there is no BroadcastChannel). */
export function deliver(message: QueueMessage): void {
  if (message.type === 'plan') {
    plan = message.plan
    for (const l of planListeners) l()
  }
  for (const l of listeners) l(message)
}

/** Listens to the queue's messages; returns the unsubscribe. */
export function onQueueMessage(listener: (message: QueueMessage) => void): () => void {
  listen()
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** The runner's latest plan, live; undefined until one was heard. */
export function useQueuePlan(): QueuePlan | undefined {
  return useSyncExternalStore(
    (onChange) => {
      listen()
      planListeners.add(onChange)
      return () => planListeners.delete(onChange)
    },
    () => plan,
  )
}

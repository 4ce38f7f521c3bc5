import { lookupSubmit, submit } from '../../api/client'
import { connectionFor } from '../../api/connection-store'
import { isOnline, subscribeConnectivity } from '../../api/connectivity'
import { describeError, isApiError } from '../../api/errors'
import { currentRequestsPerMinute } from '../../api/studio-settings'
import type { QueueItem } from '../../db/db'
import {
  claimQueueItem,
  completeQueueItem,
  failQueueItem,
  observeQueue,
  readQueue,
  removeOrphanFailures,
  requeueCutSend,
  requeueQueueItem,
  sentTimesSince,
} from '../../db/queue-runner'
import { buildRequestBody } from '../../db/requests'
import { findModel } from '../../models'
import { nextSend, PACING_MARGIN_MS, PACING_WINDOW_MS, sendSchedule } from './pacing'
import { deliver, QUEUE_CHANNEL, type QueueMessage, type QueuePlan } from './queue-channel'
import { channelLocks } from './queue-election'
import { sendingOrder } from './queue-order'

/*
 * The submit queue's runner: one loop per browser sends the queued requests in order (a designer's single runs ahead
 * of waiting sweeps: queue-order.ts), never more than the Settings' Requests per minute in any window, and waits out
 * a 429. It is loaded on demand (submit-queue-host.tsx) and holds a
 * Web Lock while it runs (or, where there is none, is elected over a BroadcastChannel: queue-election.ts), so a second
 * tab's runner waits until this one's tab closes. All it knows is in IndexedDB: a reload carries on where it stopped,
 * and a send it cut short is looked up, then made again with the same Idempotency-Key if it never arrived.
 */

export const QUEUE_LOCK = 'veo-studio.submit-queue'

/** After a 429 that names no wait, or a passing failure: 5 s, 10 s, 20 s … at most 2 min. */
export const backoffMs = (attempt: number) => Math.min(120_000, 5000 * 2 ** Math.max(0, attempt - 1))

/**
 * A sweep request is sent at most this many times when each fails for a passing reason (network, timeout, 5xx), then
 * fails with its reason. A single Generate is not retried: its designer is right there, and is told at once.
 */
export const MAX_TROUBLED_SENDS = 6

export interface SubmitQueueDeps {
  /** Sends one item's request and gives the provider's task id. */
  send(item: QueueItem): Promise<string>
  /** Asks the gateway what became of a send a reload cut short: its task id, or undefined when it never arrived. */
  lookup(item: QueueItem): Promise<string | undefined>
  /** Requests per minute, read before each send. */
  limit(): number
  windowMs: number
  locks: Pick<LockManager, 'request'> | undefined
  /** The wait after the n-th 429 without Retry-After, or the n-th passing failure. */
  backoff(n: number): number
  /** Whether requests may go out (the browser has a network and the gateway answers): offline, nothing is sent. */
  online(): boolean
  /** Calls back when online() may have changed; returns the unsubscribe. */
  onConnectivity(onChange: () => void): () => void
}

/** The same path as a single Generate always took: the model's body, the gateway, the item's id as Idempotency-Key. */
async function sendItem(item: QueueItem): Promise<string> {
  const model = findModel(item.request.modelId)
  if (!model) throw new Error('This model is not in the studio any more.')
  const built = await buildRequestBody(model, item.request)
  if (!built.ok) throw new Error(built.message)
  const { task_id } = await submit(connectionFor(item.provider), model, built.body, { idempotencyKey: item.id })
  return task_id
}

/** A lookup that cannot be made (the gateway is away) counts as a miss: the send is made again, with its key. */
async function lookupItem(item: QueueItem): Promise<string | undefined> {
  try {
    return (await lookupSubmit(connectionFor(item.provider), item.id))?.task_id
  } catch (e) {
    if (isApiError(e) && !e.transient) throw e
    return undefined
  }
}

const defaults = (): SubmitQueueDeps => ({
  send: sendItem,
  lookup: lookupItem,
  limit: currentRequestsPerMinute,
  windowMs: PACING_WINDOW_MS + PACING_MARGIN_MS,
  backoff: backoffMs,
  online: isOnline,
  onConnectivity: subscribeConnectivity,
  locks:
    (typeof navigator !== 'undefined' ? navigator.locks : undefined) ??
    (typeof BroadcastChannel === 'undefined' ? undefined : channelLocks()),
})

/** How many waiting items the plan gives a time to (the status lines only ever ask about the first few). */
const PLANNED = 20

export interface SubmitQueue {
  /** Stops after the send in flight, if any; resolves once the loop has let the lock go. */
  stop(): Promise<void>
}

export function startSubmitQueue(overrides: Partial<SubmitQueueDeps> = {}): SubmitQueue {
  const deps = { ...defaults(), ...overrides }
  const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(QUEUE_CHANNEL)
  const post = (message: QueueMessage) =>
    // A BroadcastChannel stays within the origin: it has no target origin to give.
    // oxlint-disable-next-line unicorn/require-post-message-target-origin
    channel ? channel.postMessage(message) : deliver(message)
  let stopped = false
  // A page going away must not write its cut send off as failed: the next page looks it up and sends it again. A page
  // kept in the back/forward cache (persisted) is not going away: it carries on when it is shown again.
  const onPageHide = (e: Event) => {
    if (!(e as PageTransitionEvent).persisted) stopped = true
  }
  globalThis.addEventListener?.('pagehide', onPageHide)
  const onOnline = () => {
    dirty = true
    wake?.()
  }
  const unsubscribeConnectivity = deps.onConnectivity(onOnline)

  // Woken by any change to the queue (here or in another tab) and by timers; `dirty` keeps a change that comes
  // between a read and the sleep after it (it starts set, so the first step reads whatever came before the watch).
  let dirty = true
  let wake: (() => void) | undefined
  const sleep = (ms?: number) =>
    new Promise<void>((resolve) => {
      if (dirty || stopped) return resolve()
      const timer = ms === undefined ? undefined : setTimeout(() => done(), ms)
      const done = () => {
        clearTimeout(timer)
        wake = undefined
        resolve()
      }
      wake = done
    })
  // Watched only once this runner holds the lock: a tab that waits its turn does not re-read the queue on each change.
  let unobserve = () => {}

  /** Sends this runner found cut short and put back in line: they go first, as they went first before. */
  const recovered = new Set<string>()

  const complete = async (item: QueueItem, taskId: string) =>
    post({ type: 'sent', itemId: item.id, task: await completeQueueItem(item, taskId) })

  /** A send that failed for good: a caller waiting for it is told (unless Cancel sweep dropped it meanwhile). */
  async function fail(item: QueueItem, e: unknown): Promise<void> {
    const error = describeError(e)
    if (await failQueueItem(item.id, error)) post({ type: 'failed', itemId: item.id, error })
  }

  /**
   * A send a reload (or a closed tab) cut short: asked about once. If it reached the gateway, its task is written
   * and nothing is sent again; if not, it waits its turn again (a cancelled one leaves the queue).
   */
  async function settleCutSend(item: QueueItem): Promise<void> {
    try {
      const taskId = await deps.lookup(item)
      if (taskId) return await complete(item, taskId)
      if (!stopped && (await requeueCutSend(item.id))) recovered.add(item.id)
    } catch (e) {
      if (!stopped) await fail(item, e)
    }
  }

  /**
   * A send that did not give a task. A 429 waits and goes again (the queue never fails a request on it). So does a send that
   * found no gateway (that is being offline). A passing failure (timeout, 5xx) does the same for a sweep item, up to
   * MAX_TROUBLED_SENDS. Anything else fails.
   * A cancelled item is dropped by each of these writes rather than sent again.
   */
  async function settleFailure(item: QueueItem, e: unknown): Promise<void> {
    if (isApiError(e) && e.kind === 'network') {
      // No gateway at all is being offline, not a failure: the item waits (the queue holds while connectivity says so)
      // and, since the request may have arrived before the connection dropped, the gateway is asked before a resend.
      await requeueQueueItem(item.id, Date.now(), { error: describeError(e), lookup: true }, { count: false })
      return
    }
    if (isApiError(e) && e.status === 429) {
      const wait = e.retryAfter !== undefined && e.retryAfter > 0 ? e.retryAfter * 1000 : deps.backoff(item.attempts)
      await requeueQueueItem(item.id, Date.now() + wait)
      return
    }
    const failures = (item.trouble?.failures ?? 0) + 1
    if (isApiError(e) && e.transient && item.experimentId && failures < MAX_TROUBLED_SENDS) {
      // Timed out or cut off: the request may have arrived, so the next turn asks the gateway before sending.
      const lookup = e.kind === 'network' || e.kind === 'timeout'
      await requeueQueueItem(item.id, Date.now() + deps.backoff(failures), { error: describeError(e), lookup })
      return
    }
    await fail(item, e)
  }

  async function step(): Promise<void> {
    dirty = false
    const items = await readQueue()
    // Only one runner runs (the lock), and its own sends are over by now: an item still out was cut short.
    const cutShort = items.find((item) => item.state === 'sending')
    if (cutShort) return settleCutSend(cutShort)
    const now = Date.now()
    const limit = deps.limit()
    // Single runs go ahead of waiting sweep requests (queue-order.ts); pacing below holds back every send alike.
    const waiting = sendingOrder(items, recovered)
    // Offline, nothing is sent (a send would only fail): the queue says so, and the browser's 'online' wakes it.
    if (!deps.online() && waiting.length) {
      const held = waiting.slice(0, PLANNED).map((item) => ({ id: item.id, sendsAt: Number.POSITIVE_INFINITY }))
      post({ type: 'plan', plan: { at: now, waiting: held, reason: 'offline', limit: deps.limit() } })
      return sleep()
    }
    const paused = waiting.reduce<QueueItem | undefined>((p, item) => ((item.notBefore ?? 0) > (p?.notBefore ?? 0) ? item : p), undefined)
    const pacing = {
      sentTimes: await sentTimesSince(now - deps.windowMs),
      limit,
      now,
      notBefore: paused?.notBefore,
      windowMs: deps.windowMs,
    }
    const decision = nextSend(pacing)
    const schedule = sendSchedule(pacing, Math.min(PLANNED, waiting.length))
    const plan: QueuePlan = {
      at: now,
      waiting: waiting.slice(0, PLANNED).map((item, i) => ({ id: item.id, sendsAt: schedule[i] ?? now })),
      reason: decision.reason,
      pausedBy: decision.reason === 'paused' ? paused?.provider : undefined,
      // A pause after a passing failure keeps that failure's words on the item; a 429's pause has none.
      pauseCause: decision.reason === 'paused' ? (paused?.error ? 'trouble' : 'rate-limit') : undefined,
      limit,
    }
    post({ type: 'plan', plan })

    const next = decision.waitMs === 0 ? waiting[0] : undefined
    if (!next) return sleep(waiting.length ? decision.waitMs : undefined)
    const item = await claimQueueItem(next.id, Date.now())
    if (!item) return
    recovered.delete(item.id)
    post({ type: 'plan', plan: { ...plan, sending: item.id, waiting: plan.waiting.slice(1) } })
    try {
      const known = item.trouble?.lookup ? await deps.lookup(item) : undefined
      const taskId = known ?? (await deps.send(item))
      // Written even when the page is going: the provider has the work, and its task id must not be lost.
      await complete(item, taskId)
    } catch (e) {
      // A page going away writes nothing: the next page looks the send up.
      if (!stopped) await settleFailure(item, e)
    }
  }

  async function run(): Promise<void> {
    if (stopped) return
    unobserve = observeQueue(() => {
      dirty = true
      wake?.()
    })
    await removeOrphanFailures()
    // `stopped` is set from outside (stop, pagehide): checked before every step.
    for (;;) {
      if (stopped) return
      try {
        await step()
      } catch {
        // IndexedDB refused a read or write: try again shortly rather than stop sending for good.
        if (!stopped) await new Promise((r) => setTimeout(r, 1000))
      }
    }
  }

  // A runner still waiting for the lock (another tab sends) gives up its place when stopped.
  const abort = new AbortController()
  const running = (deps.locks ? deps.locks.request(QUEUE_LOCK, { signal: abort.signal }, run) : run()).catch(() => {})
  return {
    async stop() {
      stopped = true
      wake?.()
      abort.abort()
      unobserve()
      globalThis.removeEventListener?.('pagehide', onPageHide)
      unsubscribeConnectivity()
      await running
      channel?.close()
    },
  }
}

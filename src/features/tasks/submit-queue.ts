import { lookupSubmit, submit } from '../../api/client'
import { connectionFor } from '../../api/connection-store'
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
  requeueQueueItem,
  sentTimesSince,
} from '../../db/queue-runner'
import { buildRequestBody } from '../../db/requests'
import { findModel } from '../../models'
import { nextSend, PACING_MARGIN_MS, PACING_WINDOW_MS, sendSchedule } from './pacing'
import { deliver, QUEUE_CHANNEL, type QueueMessage, type QueuePlan } from './queue-channel'

/*
 * The submit queue's runner: one loop per browser sends the queued requests in order, never more than the Settings'
 * Requests per minute in any window, and waits out a 429. It is loaded on demand (submit-queue-host.tsx) and holds a
 * Web Lock while it runs, so a second tab's runner waits until this one's tab closes. All it knows is in IndexedDB:
 * a reload carries on where it stopped, and a send it cut short is made again with the same Idempotency-Key.
 */

export const QUEUE_LOCK = 'veo-studio.submit-queue'

/** After a 429 that names no wait: 5 s, 10 s, 20 s … at most 2 min. */
export const backoffMs = (attempt: number) => Math.min(120_000, 5000 * 2 ** Math.max(0, attempt - 1))

export interface SubmitQueueDeps {
  /** Sends one item's request and gives the provider's task id. */
  send(item: QueueItem): Promise<string>
  /** Asks the gateway what became of a send a reload cut short: its task id, or undefined when it never arrived. */
  lookup(item: QueueItem): Promise<string | undefined>
  /** Requests per minute, read before each send. */
  limit(): number
  windowMs: number
  locks: Pick<LockManager, 'request'> | undefined
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
  locks: typeof navigator !== 'undefined' ? navigator.locks : undefined,
})

/** How many waiting items the plan gives a time to (the status lines only ever ask about the first few). */
const PLANNED = 100

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
  // A page going away must not write its cut send off as failed: the next page sends it again.
  const onPageHide = () => (stopped = true)
  globalThis.addEventListener?.('pagehide', onPageHide)

  // Woken by any change to the queue (here or in another tab) and by timers; `dirty` keeps a change that comes
  // between a read and the sleep after it.
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
  const unobserve = observeQueue(() => {
    dirty = true
    wake?.()
  })

  /** Sends cut short that this runner has asked the gateway about (each is asked once). */
  const askedAbout = new Set<string>()

  /** A send a reload cut short that did reach the gateway is done: its task is written, and nothing is sent again. */
  async function settleCutSend(item: QueueItem): Promise<boolean> {
    askedAbout.add(item.id)
    try {
      const taskId = await deps.lookup(item)
      if (!taskId || stopped) return false
      post({ type: 'sent', itemId: item.id, task: await completeQueueItem(item, taskId) })
    } catch (e) {
      if (stopped) return true
      const error = describeError(e)
      await failQueueItem(item.id, error)
      post({ type: 'failed', itemId: item.id, error })
    }
    return true
  }

  async function step(): Promise<void> {
    dirty = false
    const items = await readQueue()
    const cutShort = items.find((item) => item.state === 'sending' && !askedAbout.has(item.id))
    if (cutShort && (await settleCutSend(cutShort))) return
    const now = Date.now()
    const limit = deps.limit()
    // A send a reload cut short that the gateway never had goes first, paced like any other: made again, it is a
    // request the page makes, so it is stamped anew and its old stamp no longer counts.
    const waiting = [...items.filter((item) => item.state === 'sending'), ...items.filter((item) => item.state === 'queued')]
    const cut = new Set(waiting.filter((item) => item.state === 'sending').map((item) => item.id))
    const paused = waiting.reduce<QueueItem | undefined>((p, item) => ((item.notBefore ?? 0) > (p?.notBefore ?? 0) ? item : p), undefined)
    const pacing = {
      sentTimes: await sentTimesSince(now - deps.windowMs, cut),
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
      limit,
    }
    post({ type: 'plan', plan })

    const next = decision.waitMs === 0 ? waiting[0] : undefined
    if (!next) return sleep(waiting.length ? decision.waitMs : undefined)
    const item = await claimQueueItem(next.id, Date.now())
    if (!item) return
    post({ type: 'plan', plan: { ...plan, sending: item.id, waiting: plan.waiting.slice(1) } })
    try {
      const taskId = await deps.send(item)
      if (stopped) return
      post({ type: 'sent', itemId: item.id, task: await completeQueueItem(item, taskId) })
    } catch (e) {
      if (stopped) return
      if (isApiError(e) && e.status === 429) {
        const wait = e.retryAfter !== undefined && e.retryAfter > 0 ? e.retryAfter * 1000 : backoffMs(item.attempts)
        // The queue never fails a request on a 429: it waits, and sends it again in its turn.
        await requeueQueueItem(item.id, Date.now() + wait)
      } else {
        const error = describeError(e)
        await failQueueItem(item.id, error)
        post({ type: 'failed', itemId: item.id, error })
      }
    }
  }

  async function run(): Promise<void> {
    if (stopped) return
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
      await running
      channel?.close()
    },
  }
}

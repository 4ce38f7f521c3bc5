import type { ProviderId } from '../../api/gateway-urls'
import { plural } from '../../lib/format'
import type { QueuePlan } from './queue-channel'

const PROVIDER_NAME: Record<ProviderId, string> = { jiekou: 'jiekou.ai', local: 'The local engine' }

const secondsUntil = (at: number, now: number) => Math.ceil((at - now) / 1000)

/**
 * What the Generate status line says while its request waits in the queue; undefined once it is its turn (the
 * line then says "Sending…"). A 429's pause is named with who asked; otherwise the wait is the rate limit's.
 */
export function waitWords(plan: QueuePlan, itemId: string, now: number): string | undefined {
  const index = plan.waiting.findIndex((w) => w.id === itemId)
  const mine = plan.waiting[index]
  if (!mine) return undefined
  const s = secondsUntil(mine.sendsAt, now)
  if (s <= 0) return undefined
  if (index === 0 && plan.reason === 'paused' && plan.pausedBy) return `Waiting: ${PROVIDER_NAME[plan.pausedBy]} asked us to wait ${s} s`
  return `Queued: sends in ${s} s (${plural(plan.limit, 'request')} per minute)`
}

export interface QueueCounts {
  /** Waiting their turn. */
  queued: number
  /** A request out now. */
  sending: boolean
  /** Sweep requests that failed, kept for their boards. */
  failed: number
}

/** The task strip's queue line; undefined when there is nothing to say. */
export function queueStatusWords(counts: QueueCounts, plan: QueuePlan | undefined, now: number): string | undefined {
  const parts: string[] = []
  const next = plan?.waiting[0]
  const s = next ? secondsUntil(next.sendsAt, now) : 0
  if (counts.queued > 0 && plan?.reason === 'paused' && s > 0) {
    parts.push(`Paused for ${s} s: the provider asked us to slow down (429)`, `${counts.queued} waiting`)
  } else {
    if (counts.sending) parts.push('Sending a request')
    if (counts.queued > 0) parts.push(`${counts.queued} waiting to send`)
    if (counts.queued > 0 && s > 0) parts.push(`next in ${s} s`)
  }
  if (counts.failed > 0) parts.push(`${plural(counts.failed, 'sweep request')} not sent`)
  return parts.length ? parts.join(' · ') : undefined
}

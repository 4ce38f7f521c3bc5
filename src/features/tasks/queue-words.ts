import type { ProviderId } from '../../api/gateway-urls'
import { plural } from '../../lib/format'
import type { QueuePlan } from './queue-channel'

const PROVIDER_NAME: Record<ProviderId, string> = { jiekou: 'jiekou.ai', local: 'The local engine' }

export const secondsUntil = (at: number, now: number) => Math.ceil((at - now) / 1000)

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

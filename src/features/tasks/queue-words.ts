import type { ProviderId } from '../../api/gateway-urls'
import { formatWait, plural } from '../../lib/format'
import type { QueuePlan } from './queue-channel'

const PROVIDER_NAME: Record<ProviderId, string> = { jiekou: 'jiekou.ai', local: 'The local engine' }

/** While the browser is offline nothing is sent; the queue goes on by itself when the network is back. */
export const OFFLINE_WAIT = 'Offline: sends when the network is back'

export const secondsUntil = (at: number, now: number) => Math.ceil((at - now) / 1000)

/**
 * A status line in two voices. The line on screen counts the seconds down; a screen reader hears the state once, when
 * it changes ("Queued: sends in about 40 s"), not a new number every second.
 */
export interface SpokenWords {
  /** What the line shows: the countdown ticks. */
  shown: string
  /** What the live region says: the state, with no ticking number. */
  said: string
}

/** A wait on screen: "40 s" while under a minute, then "3:55" (a count of seconds in the hundreds is hard to read). */

/**
 * A wait as a screen reader hears it: to the second while short, in fives beyond, in whole minutes from a minute on
 * (it is said once, and then ages; "3:55" would be read out as a time of day).
 */
const about = (s: number) => (s < 10 ? `${s} s` : s < 60 ? `${Math.round(s / 5) * 5} s` : plural(Math.round(s / 60), 'minute'))

/**
 * What the Generate status line says while its request waits in the queue; undefined once it is its turn (the
 * line then says "Sending…"). A pause is named with who caused it; otherwise the wait is the rate limit's.
 */
export function waitWords(plan: QueuePlan, itemId: string, now: number): SpokenWords | undefined {
  const index = plan.waiting.findIndex((w) => w.id === itemId)
  const mine = plan.waiting[index]
  if (!mine) return undefined
  if (plan.reason === 'offline') return { shown: OFFLINE_WAIT, said: OFFLINE_WAIT }
  const s = secondsUntil(mine.sendsAt, now)
  if (s <= 0) return undefined
  if (index === 0 && plan.reason === 'paused' && plan.pausedBy) {
    const name = PROVIDER_NAME[plan.pausedBy]
    return plan.pauseCause === 'trouble'
      ? { shown: `Waiting: ${name} did not answer; trying again in ${formatWait(s)}`, said: `Paused: ${name} did not answer` }
      : { shown: `Waiting: ${name} asked us to wait ${formatWait(s)}`, said: 'Paused by the provider' }
  }
  return {
    shown: `Queued: sends in ${formatWait(s)} (${plural(plan.limit, 'request')} per minute)`,
    said: `Queued: sends in about ${about(s)}`,
  }
}

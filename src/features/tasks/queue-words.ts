import type { ProviderId } from '../../api/gateway-urls'
import type { QueueItem } from '../../db/db'
import { formatWait } from '../../lib/format'
import { requestStateCount, requestStateName } from '../../lib/request-state'

/*
 * What the Generate status line and the task strip's queue line say of the gateway's submit queue, in the one name
 * each state has (src/lib/request-state.ts): a request waiting in it is "Waiting to send" in both places, as on a
 * board. A wait the provider asked for is added after the name, with who asked and for how long.
 */

const PROVIDER_NAME: Record<ProviderId, string> = { jiekou: 'jiekou.ai', local: 'The local engine' }

/** While the browser is offline a press cannot reach the gateway: it goes by itself once the network is back. */
export const OFFLINE_WAIT = 'Offline: sends when the network is back'

export const secondsUntil = (at: number, now: number) => Math.ceil((at - now) / 1000)

/**
 * A status line in two voices. The line on screen counts the seconds down; a screen reader hears the state once, when
 * it changes ("Waiting to send · paused by the provider"), not a new number every second.
 */
export interface SpokenWords {
  /** What the line shows: the countdown ticks. */
  shown: string
  /** What the live region says: the state, with no ticking number. */
  said: string
}

const WAITING = requestStateName('waiting')

/** Waiting in the gateway's queue: queued, or out now (a send is the last moment of the wait, as request-state has it). */
export const isWaiting = (item: QueueItem) => item.state === 'queued' || item.state === 'sending'

/** Why a waiting request is held back: a 429 (the provider asked), or a passing fault the gateway will try again. */
export interface Hold {
  until: number
  cause: 'rate-limit' | 'trouble'
  provider: ProviderId
}

/** The hold on one waiting request, if the gateway put one on it that has not passed yet. */
export function holdOf(item: QueueItem, now: number): Hold | undefined {
  if (item.state !== 'queued' || item.notBefore === undefined || item.notBefore <= now) return undefined
  // A 429 writes its words too (status 429); a wait with no words at all can only be the provider's asking.
  const cause = item.error === undefined || item.error.status === 429 ? 'rate-limit' : 'trouble'
  return { until: item.notBefore, cause, provider: item.provider }
}

/** The longest hold among the waiting requests: the one the queue line speaks of. */
function longestHold(items: readonly QueueItem[], now: number): Hold | undefined {
  let longest: Hold | undefined
  for (const item of items) {
    const hold = holdOf(item, now)
    if (hold && hold.until > (longest?.until ?? 0)) longest = hold
  }
  return longest
}

/**
 * What the Generate status line says of its request: "Waiting to send" while the gateway holds it, and, when the
 * provider asked it to wait, who and for how long. Undefined when there is no request (yet) to speak of.
 */
export function waitWords(item: QueueItem | undefined, now: number): SpokenWords | undefined {
  if (!item || !isWaiting(item)) return undefined
  const hold = holdOf(item, now)
  if (!hold) return { shown: WAITING, said: WAITING }
  const name = PROVIDER_NAME[hold.provider]
  const s = formatWait(secondsUntil(hold.until, now))
  return hold.cause === 'trouble'
    ? { shown: `${WAITING} · ${name} did not answer; trying again in ${s}`, said: `${WAITING} · ${name} did not answer` }
    : { shown: `${WAITING} · ${name} asked us to wait ${s}`, said: `${WAITING} · paused by the provider` }
}

/**
 * The task strip's queue line, shown and said (no countdown in what is said); undefined when there is nothing to say.
 * A single Generate that failed is left out: its words show under Generate (or on its card); a sweep's stay for its
 * board.
 */
export function queueStatusWords(items: readonly QueueItem[], now: number): SpokenWords | undefined {
  const shown: string[] = []
  const said: string[] = []
  const both = (words: string) => (shown.push(words), said.push(words))
  const waiting = items.filter(isWaiting)
  const failed = items.filter((i) => i.state === 'failed' && i.experimentId).length
  const hold = longestHold(waiting, now)
  if (hold?.cause === 'trouble') {
    shown.push(`Paused for ${formatWait(secondsUntil(hold.until, now))}: the provider did not answer, trying again`)
    said.push('Paused: the provider did not answer')
  } else if (hold) {
    shown.push(`Paused for ${formatWait(secondsUntil(hold.until, now))}: the provider asked us to slow down (429)`)
    said.push('Paused by the provider')
  }
  if (waiting.length) both(requestStateCount('waiting', waiting.length))
  if (failed) both(requestStateCount('failed', failed))
  return shown.length ? { shown: shown.join(' · '), said: said.join(' · ') } : undefined
}

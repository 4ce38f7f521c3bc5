import type { QueueItem } from '../../db/db'
import { useQueueItems } from '../../db/queue'
import { useQueuePlan, type QueuePlan } from './queue-channel'
import { plural } from '../../lib/format'
import { secondsUntil } from './queue-words'
import { useNow } from './use-now'

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

function countsOf(items: readonly QueueItem[], plan: QueuePlan | undefined): QueueCounts {
  // A send a reload cut short waits its turn again: only the one the runner says is out is being sent.
  const out = (i: QueueItem) => i.state === 'sending' && (plan === undefined || plan.sending === i.id)
  return {
    queued: items.filter((i) => i.state === 'queued' || (i.state === 'sending' && !out(i))).length,
    sending: items.some(out),
    // A single Generate's failure is shown under Generate (or on its card), not here.
    failed: items.filter((i) => i.state === 'failed' && i.experimentId).length,
  }
}

/**
 * The submit queue in one line above the task cards: how many wait, and when the next goes (or why it waits). Loaded
 * when the queue first holds something; the live region around it is the task strip's.
 */
export default function QueueStatusWords() {
  const items = useQueueItems()
  const plan = useQueuePlan()
  const counts = countsOf(items ?? [], plan)
  const now = useNow(counts.queued > 0)
  const words = queueStatusWords(counts, plan, now)
  return <>{words}</>
}

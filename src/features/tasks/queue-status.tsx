import type { QueueItem } from '../../db/db'
import { useQueueItems } from '../../db/queue'
import { useQueuePlan, type QueuePlan } from './queue-channel'
import { plural } from '../../lib/format'
import { secondsUntil, type SpokenWords } from './queue-words'
import { formatWait } from '../../lib/format'
import { useNow } from '../../lib/use-now'

export interface QueueCounts {
  /** Waiting their turn. */
  queued: number
  /** A request out now. */
  sending: boolean
  /** Sweep requests that failed, kept for their boards. */
  failed: number
}

/** The task strip's queue line, shown and said (no countdown in what is said); undefined when there is nothing to say. */
export function queueStatusWords(counts: QueueCounts, plan: QueuePlan | undefined, now: number): SpokenWords | undefined {
  const shown: string[] = []
  const said: string[] = []
  const both = (words: string) => (shown.push(words), said.push(words))
  const next = plan?.waiting[0]
  const s = next ? secondsUntil(next.sendsAt, now) : 0
  if (counts.queued > 0 && plan?.reason === 'offline') {
    both(`${counts.queued} waiting to send when the network is back`)
  } else if (counts.queued > 0 && plan?.reason === 'paused' && s > 0) {
    if (plan.pauseCause === 'trouble') {
      shown.push(`Paused for ${formatWait(s)}: the provider did not answer, trying again`)
      said.push('Paused: the provider did not answer')
    } else {
      shown.push(`Paused for ${formatWait(s)}: the provider asked us to slow down (429)`)
      said.push('Paused by the provider')
    }
    both(`${counts.queued} waiting`)
  } else {
    if (counts.sending) both('Sending a request')
    if (counts.queued > 0) both(`${counts.queued} waiting to send`)
    if (counts.queued > 0 && s > 0) shown.push(`next in ${formatWait(s)}`)
  }
  if (counts.failed > 0) both(`${plural(counts.failed, 'sweep request')} not sent`)
  return shown.length ? { shown: shown.join(' · '), said: said.join(' · ') } : undefined
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
 * when the queue first holds something; the live region around it is the task strip's, and hears only the state: the
 * countdown is shown, hidden from screen readers, so they do not speak every second.
 */
export default function QueueStatusWords() {
  const items = useQueueItems()
  const plan = useQueuePlan()
  const counts = countsOf(items ?? [], plan)
  // The clock ticks only while there is a countdown to show: nothing waits on a send that is ready to go.
  const now = useNow(counts.queued > 0 && plan !== undefined && plan.reason !== 'ready' && plan.reason !== 'offline')
  const words = queueStatusWords(counts, plan, now)
  if (!words) return null
  return (
    <>
      <span aria-hidden="true">{words.shown}</span>
      <span className="sr-only">{words.said}</span>
    </>
  )
}

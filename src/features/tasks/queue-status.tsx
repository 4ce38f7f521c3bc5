import type { QueueItem } from '../../db/db'
import { useQueueItems } from '../../db/queue'
import { useQueuePlan } from './queue-channel'
import { queueStatusWords, type QueueCounts } from './queue-words'
import { useNow } from './use-now'

function countsOf(items: readonly QueueItem[]): QueueCounts {
  return {
    queued: items.filter((i) => i.state === 'queued').length,
    sending: items.some((i) => i.state === 'sending'),
    // A single Generate's failure is shown under Generate (or on its card), not here.
    failed: items.filter((i) => i.state === 'failed' && i.experimentId).length,
  }
}

/** The submit queue in one line above the task cards: how many wait, and when the next goes (or why it waits). */
export function QueueStatus() {
  const items = useQueueItems()
  const plan = useQueuePlan()
  const counts = countsOf(items ?? [])
  const now = useNow(counts.queued > 0)
  const words = queueStatusWords(counts, plan, now)
  return (
    <p role="status" aria-label="Submit queue" className="min-w-0 truncate text-ui-sm tabular text-zinc-400">
      {words}
    </p>
  )
}

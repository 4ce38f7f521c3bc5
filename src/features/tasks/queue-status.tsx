import { useQueueItems } from '../../db/queue'
import { useNow } from '../../lib/use-now'
import { queueStatusWords } from './queue-words'

/**
 * The gateway's submit queue in one line above the task cards: how many wait to be sent, why they are held when the
 * provider asked for a pause, and how many of a sweep's failed. Loaded when the queue first holds something; the live
 * region around it is the task strip's, and hears only the state: the countdown is shown, hidden from screen
 * readers, so they do not speak every second.
 */
export default function QueueStatusWords() {
  const items = useQueueItems() ?? []
  // The clock ticks only while the gateway holds a request back (a wait that has passed changes nothing).
  const now = useNow(items.some((i) => i.state === 'queued' && i.notBefore !== undefined))
  const words = queueStatusWords(items, now)
  if (!words) return null
  return (
    <>
      <span aria-hidden="true">{words.shown}</span>
      <span className="sr-only">{words.said}</span>
    </>
  )
}

import type { ErrorWords } from '../../api/errors'
import type { TaskRecord } from '../../db/db'
import { observeQueueItem, removeQueueItem } from '../../db/queue'
import { onQueueMessage } from './queue-channel'
import { QueueSendError } from './queue-errors'

/** How long an item may be gone from the queue before its 'sent' message: after that, nobody will say. */
const GONE_GRACE_MS = 3000

/**
 * Waits for one queued item's outcome: the task it became, or a QueueSendError. Call it before the item is added. The
 * runner says so on the queue's channel; the database is watched as well, so a message lost with a closed tab still
 * ends the wait (a failure is written before it is told; an item gone without a word resolves undefined: its task is
 * in the strip anyway). Once told of a failure, the caller's item leaves the queue: the caller shows the error.
 */
export function awaitQueueOutcome(itemId: string): { promise: Promise<TaskRecord | undefined>; cancel(): void } {
  let cancel = () => {}
  const promise = new Promise<TaskRecord | undefined>((resolve, reject) => {
    let seen = false
    let grace: ReturnType<typeof setTimeout> | undefined
    const done = () => {
      stopMessages()
      stopWatching()
      clearTimeout(grace)
    }
    cancel = done
    const fail = (words: ErrorWords) => {
      done()
      void removeQueueItem(itemId)
      reject(new QueueSendError(words))
    }
    const stopMessages = onQueueMessage((message) => {
      if (message.type === 'plan' || message.itemId !== itemId) return
      if (message.type === 'sent') {
        done()
        resolve(message.task)
      } else fail(message.error)
    })
    const stopWatching = observeQueueItem(itemId, (item) => {
      if (item) seen = true
      if (item?.state === 'failed')
        fail({ ...item.error, message: item.error?.message ?? 'The request was not sent. Try again.', details: item.error?.details })
      else if (!item && seen && grace === undefined)
        grace = setTimeout(() => {
          done()
          resolve(undefined)
        }, GONE_GRACE_MS)
    })
  })
  return { promise, cancel: () => cancel() }
}

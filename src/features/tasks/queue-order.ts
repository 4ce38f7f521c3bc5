import type { QueueItem } from '../../db/db'

/*
 * Which waiting item goes next. A designer's single run (Generate, or Retry of one task: no experimentId) is someone
 * at the screen waiting for it, so it goes ahead of the sweep requests that wait; a sweep can wait a little longer.
 * The rate limit and a 429's pause still hold back every send alike (pacing.ts): this only chooses the order.
 */

const isInteractive = (item: QueueItem) => !item.experimentId

/**
 * The items that may be sent (waiting, not cancelled), in the order they will go: sends a reload cut short first (they
 * went first before), then single runs, then sweep requests; each group oldest first (createdAt).
 */
export function sendingOrder(items: readonly QueueItem[], recovered: ReadonlySet<string> = new Set()): QueueItem[] {
  const rank = (item: QueueItem) => (recovered.has(item.id) ? 0 : isInteractive(item) ? 1 : 2)
  return items
    .filter((item) => item.state === 'queued' && !item.cancelled)
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.item.createdAt - b.item.createdAt || a.i - b.i)
    .map(({ item }) => item)
}

/** The next item to send, if any (the first of sendingOrder). */
export function nextToSend(items: readonly QueueItem[], recovered?: ReadonlySet<string>): QueueItem | undefined {
  return sendingOrder(items, recovered)[0]
}

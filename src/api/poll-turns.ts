/*
 * Every task's polls share one pace: at most one task-result request every 500 ms (two a second), in the order they
 * asked, however many tasks are in flight. Sixteen tasks that all want an answer now get them over eight seconds
 * instead of in one burst. (Ten lines, written here: @tanstack/pacer's queuer would bring its weight into the first
 * paint, where the pollers live.)
 */

export const POLL_SPACING_MS = 500

let nextTurn = 0

/** Resolves when this poll may go; rejects with the signal's reason if it is aborted while it waits. */
export function pollTurn(signal?: AbortSignal, now = Date.now()): Promise<void> {
  const at = Math.max(now, nextTurn)
  nextTurn = at + POLL_SPACING_MS
  if (at <= now) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, at - now)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(signal.reason)
      },
      { once: true },
    )
  })
}

/** For tests: no poll has gone yet. */
export function resetPollTurns(): void {
  nextTurn = 0
}

/*
 * Every task's polls share one pace: at most two task-result requests a second, in the order they asked, however many
 * tasks are in flight. Sixteen tasks that all want an answer now get them over eight seconds instead of in one burst.
 * Each turn is booked from when the poll before it actually went (a busy page fires timers late, and booking ahead
 * would let the late ones bunch up), with a little margin over half a second. (Written here: these ten lines do what
 * @tanstack/pacer's queuer would, without its weight in the studio's chunk, where the pollers live.)
 */

export const POLL_SPACING_MS = 520

/** When the last poll went. */
let lastWent = Number.NEGATIVE_INFINITY
/** The turns, one after another. */
let line: Promise<unknown> = Promise.resolve()

const wait = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(signal.reason)
      },
      { once: true },
    )
  })

/** Resolves when this poll may go; rejects with the signal's reason if it is aborted while it waits. */
export function pollTurn(signal?: AbortSignal): Promise<void> {
  const turn = line.then(async () => {
    // A timer may fire late, never early: check again after it.
    for (let left = lastWent + POLL_SPACING_MS - Date.now(); left > 0; left = lastWent + POLL_SPACING_MS - Date.now())
      await wait(left, signal)
    if (signal?.aborted) throw signal.reason
    lastWent = Date.now()
  })
  // A cancelled turn gives its place to the next one.
  line = turn.catch(() => {})
  return turn
}

/** For tests: no poll has gone yet. */
export function resetPollTurns(): void {
  lastWent = Number.NEGATIVE_INFINITY
  line = Promise.resolve()
}

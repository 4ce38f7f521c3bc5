/*
 * Without the Web Locks API (a plain-http origin other than localhost has none), the tabs elect the one that runs the
 * submit queue over a BroadcastChannel. A tab that wants to run asks whether one runs already ('ping'); the running
 * one answers ('here'); when nobody answers in time, it runs. Two tabs asking at once: the lower id goes first (it
 * answers the other's ask), the other asks again later. A runner that stops says so ('gone'), so a waiting tab asks at once; one that vanished
 * without a word (a crash) is found missing at the next ask. Claims stay safe either way: only a 'queued' item is
 * ever claimed, in a transaction, so two runners can never send one item twice.
 */

export const ELECTION_CHANNEL = 'veo-studio.submit-queue.election'

type ElectionMessage = { type: 'ping' | 'here' | 'gone'; from: string }

export interface ElectionTiming {
  /** How long a tab waits for a runner's answer before it runs itself. */
  answerMs: number
  /** How often a waiting tab asks again (a runner that crashed never says 'gone'). */
  recheckMs: number
}

const DEFAULT_TIMING: ElectionTiming = { answerMs: 300, recheckMs: 5000 }

const aborted = () => new DOMException('The runner stopped before it was elected.', 'AbortError')

/** Waits `ms`, or less when nudged; rejects when `signal` aborts. */
function wait(ms: number, signal: AbortSignal | undefined, onNudge?: (nudge: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', stop)
      resolve()
    }
    const stop = () => {
      clearTimeout(timer)
      reject(aborted())
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', stop, { once: true })
    onNudge?.(done)
  })
}

/** A stand-in for navigator.locks: one holder of the submit queue's lock among the tabs of this origin. */
export function channelLocks(timing: ElectionTiming = DEFAULT_TIMING, channelName = ELECTION_CHANNEL): Pick<LockManager, 'request'> {
  const request = async (_name: string, options: LockOptions, callback: () => Promise<void>): Promise<void> => {
    const id = crypto.randomUUID()
    const channel = new BroadcastChannel(channelName)
    const say = (type: ElectionMessage['type']) =>
      // A BroadcastChannel stays within the origin: it has no target origin to give.
      // oxlint-disable-next-line unicorn/require-post-message-target-origin
      channel.postMessage({ type, from: id } satisfies ElectionMessage)
    let running = false
    /** Someone runs, or asked at the same time with a lower id. */
    let beaten = false
    let nudge: (() => void) | undefined
    channel.addEventListener('message', (e: MessageEvent<ElectionMessage>) => {
      const { type, from } = e.data
      if (from === id) return
      // A tab that asks after us answers too, whether we run or only wait: it may have missed our own ask (a channel
      // hears only what is posted after it opened), and the lower id must win either way.
      if (type === 'ping' && (running || from > id)) say('here')
      else if (type === 'ping') beaten = true
      else if (type === 'here') beaten = true
      else if (type === 'gone') nudge?.()
    })
    try {
      for (;;) {
        if (options.signal?.aborted) throw aborted()
        beaten = false
        say('ping')
        await wait(timing.answerMs, options.signal)
        if (!beaten) break
        await wait(timing.recheckMs, options.signal, (n) => (nudge = n))
        nudge = undefined
      }
      running = true
      return await callback()
    } finally {
      if (running) say('gone')
      channel.close()
    }
  }
  return { request: request as unknown as LockManager['request'] }
}

import { useEffect, useState } from 'react'
import { useQueueHasItems } from '../../db/queue'
import { setSenderTrouble } from './sender-state'
import type { SubmitQueue } from './submit-queue'

type LoadRunner = () => Promise<{ startSubmitQueue(): SubmitQueue }>

const loadRunner: LoadRunner = () => import('./submit-queue')

/** Between tries to load the runner: 1 s, 2 s, 4 s … at most 30 s. */
export const loadRetryMs = (attempt: number) => Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1))

interface SubmitQueueHostProps {
  /** Loads the runner (tests give their own). */
  load?: LoadRunner | undefined
  retryMs?: ((attempt: number) => number) | undefined
}

/**
 * Starts the submit queue's runner the first time the queue holds something (a Generate, a sweep, or what a reload
 * left), loading it then: the runner and its pacing stay out of the first paint. A load that fails is tried again,
 * with a growing wait, and the studio says meanwhile that nothing is being sent (sender-state.ts). Once started it
 * keeps running, idle, until the page goes. Renders nothing.
 */
export function SubmitQueueHost({ load = loadRunner, retryMs = loadRetryMs }: SubmitQueueHostProps) {
  const [wanted, setWanted] = useState(false)
  const notEmpty = useQueueHasItems()
  if (notEmpty && !wanted) setWanted(true)
  useEffect(() => {
    if (!wanted) return
    let stop: (() => Promise<void>) | undefined
    let gone = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const attempt = (n: number) =>
      load().then(
        ({ startSubmitQueue }) => {
          if (gone) return
          setSenderTrouble(false)
          stop = startSubmitQueue().stop
        },
        () => {
          if (gone) return
          setSenderTrouble(true)
          timer = setTimeout(() => void attempt(n + 1), retryMs(n))
        },
      )
    void attempt(1)
    return () => {
      gone = true
      clearTimeout(timer)
      void stop?.()
    }
  }, [wanted, load, retryMs])
  return null
}

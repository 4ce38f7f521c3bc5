import { useEffect, useState } from 'react'
import { useQueueHasItems } from '../../db/queue'

/**
 * Starts the submit queue's runner the first time the queue holds something (a Generate, a sweep, or what a reload
 * left), loading it then: the runner and its pacing stay out of the first paint. Once started it keeps running, idle,
 * until the page goes. Renders nothing.
 */
export function SubmitQueueHost() {
  const [wanted, setWanted] = useState(false)
  const notEmpty = useQueueHasItems()
  if (notEmpty && !wanted) setWanted(true)
  useEffect(() => {
    if (!wanted) return
    let stop: (() => Promise<void>) | undefined
    let gone = false
    void import('./submit-queue').then(({ startSubmitQueue }) => {
      if (!gone) stop = startSubmitQueue().stop
    })
    return () => {
      gone = true
      void stop?.()
    }
  }, [wanted])
  return null
}

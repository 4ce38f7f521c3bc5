import { useState } from 'react'
import type { PollSample } from '../../api/task-end'
import { predictedEnd } from '../../api/task-end'
import type { TaskRecord } from '../../db/db'

/** How many changes of a task's progress a card remembers: enough to measure a pace. */
const KEPT = 6

const sampleOf = (task: TaskRecord, at: number): PollSample => ({
  at,
  status: task.status,
  progress: task.progressPercent,
  eta: task.etaSeconds,
})
const same = (a: PollSample, b: PollSample) => a.status === b.status && a.progress === b.progress && a.eta === b.eta

/**
 * What a card makes of its task's progress between the gateway's polls, which can be many seconds apart: how long
 * ago (in seconds, as of `now`) this tab saw the last change, and the seconds left then: the provider's ETA, or,
 * without one, the one the pace of its progress gives once two changes have measured it (task-end.ts).
 */
export function useSeenProgress(task: TaskRecord, now: number): { since: number; eta: number | undefined } {
  const [seen, setSeen] = useState<PollSample[]>(() => [sampleOf(task, now)])
  const fresh = sampleOf(task, now)
  const last = seen.at(-1)!
  // Adjusting state while rendering, React's way: a change is stamped with the render that first shows it.
  if (!same(last, fresh)) setSeen([...seen, fresh].slice(-KEPT))
  const latest = same(last, fresh) ? last : fresh
  const since = Math.max(0, (now - latest.at) / 1000)
  if (latest.eta !== undefined) return { since, eta: latest.eta }
  const end = predictedEnd(same(last, fresh) ? seen : [...seen, fresh])
  return { since, eta: end?.measured ? Math.max(0, (end.at - latest.at) / 1000) : undefined }
}

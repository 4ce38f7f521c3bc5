import type { Logger } from '../../logger.ts'
import type { LibraryKysely } from '../db/db.ts'
import { purgeDeletedBefore, type Purged } from '../db/queries/purge.ts'
import type { ChangeFeed, LibraryEvent } from '../events.ts'

/*
 * The purge: a sample or an experiment deleted softly stays undoable for a while, then goes for good. The studio's
 * Undo toast lasts seconds; the grace is minutes, since another tab may still hold a toast (its clock pauses while
 * the pointer is on it) and a restore from there must still work. The runner runs this every minute; gateways that
 * share a database may all run it: a row is removed once, and the second finds nothing.
 *
 * Files are not removed: a video or still may be named by another record, and a sweep of files no record names is a
 * later step (a blob GC).
 */

/** How long a deletion stays undoable on the gateway. */
export const PURGE_GRACE_MS = 5 * 60_000
/** How often the runner purges. */
export const PURGE_EVERY_MS = 60_000

export interface PurgeDeps {
  db: LibraryKysely
  feed: ChangeFeed
  logger: Logger
}

/** Removes what was deleted more than PURGE_GRACE_MS before `now`, recording the change for each workspace. */
export async function runPurge(deps: PurgeDeps, now = Date.now()): Promise<Purged[]> {
  const done = await deps.db.transaction().execute(async (trx) => {
    const purged = await purgeDeletedBefore(trx, new Date(now - PURGE_GRACE_MS))
    const events: LibraryEvent[] = []
    for (const p of purged) {
      if (p.samples.length) events.push(await deps.feed.record(trx, p.workspace, 'samples', p.samples))
      if (p.tasks.length) events.push(await deps.feed.record(trx, p.workspace, 'tasks', p.tasks))
      if (p.requests.length) events.push(await deps.feed.record(trx, p.workspace, 'queue', p.requests))
      if (p.experiments.length) events.push(await deps.feed.record(trx, p.workspace, 'experiments', p.experiments))
      events.push(await deps.feed.record(trx, p.workspace, 'storage', []))
    }
    return { purged, events }
  })
  deps.feed.announce(...done.events)
  for (const p of done.purged)
    deps.logger.info('runner.purged', {
      workspace: p.workspace,
      samples: p.samples.length,
      tasks: p.tasks.length,
      experiments: p.experiments.length,
      requests: p.requests.length,
    })
  return done.purged
}

/** Runs the purge now and every `everyMs`, one run at a time; returns the way to stop (which waits for a run in hand). */
export function schedulePurge(deps: PurgeDeps, everyMs = PURGE_EVERY_MS): () => Promise<void> {
  let running: Promise<void> | undefined
  const tick = () => {
    running ??= runPurge(deps)
      .then(() => undefined)
      .catch((err: Error) => deps.logger.error('runner.purge_failed', { detail: err.message }))
      .finally(() => (running = undefined))
  }
  tick()
  const timer = setInterval(tick, everyMs)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}

import { sql } from 'kysely'
import type PgBoss from 'pg-boss'
import { describeError, isApiError } from '../../../src/api/errors.ts'
import { nextPollDelay, sampleOf } from '../../../src/api/poll-interval.ts'
import type { TaskResult } from '../../../src/api/schemas.ts'
import type { Logger } from '../../logger.ts'
import { jsonb, type LibraryKysely } from '../db/db.ts'
import type { PollSampleJson, TaskRow } from '../db/schema.ts'
import type { ChangeFeed } from '../events.ts'
import { sendArchive, sendPoll } from './jobs.ts'
import type { ProviderClient } from './provider.ts'

/*
 * One poll of a task, by the studio's own rule (src/api/poll-interval.ts: aim at the predicted end, back off on
 * trouble, stop on a final status), now on the gateway: however many tabs are open, each task is polled once. The
 * answer is written to the task's row (status, ETA, progress) and announced on the change feed; SUCCEED hands the
 * task to the archive at once.
 */

export interface PollDeps {
  db: LibraryKysely
  boss: PgBoss
  feed: ChangeFeed
  logger: Logger
  provider: (id: string) => ProviderClient
}

/** The polls the rule remembers: enough to measure a pace, few enough to keep the row small. */
const SAMPLES_KEPT = 6

export async function runPoll(deps: PollDeps, taskRecordId: string): Promise<void> {
  const { db } = deps
  const task = await db.selectFrom('tasks').selectAll().where('id', '=', taskRecordId).executeTakeFirst()
  if (!task || task.finished_at || task.lost || task.stalled) return
  let data: TaskResult
  try {
    data = await deps.provider(task.provider).taskResult(task.task_id)
  } catch (err) {
    return pollFailed(deps, task, err)
  }
  const now = Date.now()
  const samples: PollSampleJson[] = [...task.poll_samples, sampleOf(data, now)].slice(-SAMPLES_KEPT)
  const status = data.task.status
  const final = status === 'TASK_STATUS_SUCCEED' || status === 'TASK_STATUS_FAILED'
  const delay = final ? false : nextPollDelay({ data, error: undefined, failures: 0, hidden: false, samples: samples as never, now })
  const event = await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('tasks')
      .set({
        status,
        reason: data.task.reason,
        eta_seconds: data.task.eta ?? null,
        progress_percent: data.task.progress_percent ?? null,
        polls: sql`polls + 1`,
        poll_failures: 0,
        poll_samples: jsonb(samples),
        result: jsonb(data),
        seed: data.extra.seed ?? task.seed,
        next_poll_at: delay === false ? null : new Date(now + delay),
        ...(status === 'TASK_STATUS_FAILED' ? { finished_at: new Date(now) } : {}),
        updated_at: sql`now()`,
      })
      .where('id', '=', task.id)
      .execute()
    if (status === 'TASK_STATUS_SUCCEED') await sendArchive(deps.boss, task.id, undefined, trx)
    else if (delay !== false) await sendPoll(deps.boss, task.id, new Date(now + delay), trx)
    return deps.feed.record(trx, task.workspace_id, 'tasks', [task.id])
  })
  deps.feed.announce(event)
}

async function pollFailed(deps: PollDeps, task: TaskRow, err: unknown): Promise<void> {
  const { db } = deps
  const failures = task.poll_failures + 1
  const words = describeError(err)
  const notFound = isApiError(err) && (err.reason === 'TASK_NOT_FOUND' || err.status === 404)
  const delay = notFound
    ? false
    : nextPollDelay({ data: undefined, error: err, failures, hidden: false, samples: task.poll_samples as never })
  const now = Date.now()
  const event = await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('tasks')
      .set({
        poll_failures: failures,
        ...(notFound
          ? { lost: true, finished_at: new Date(now), reason: words.message }
          : delay === false
            ? { stalled: jsonb({ message: words.message, details: words.details, at: now }), next_poll_at: null }
            : { next_poll_at: new Date(now + delay) }),
        updated_at: sql`now()`,
      })
      .where('id', '=', task.id)
      .execute()
    if (delay !== false) await sendPoll(deps.boss, task.id, new Date(now + delay), trx)
    return deps.feed.record(trx, task.workspace_id, 'tasks', [task.id])
  })
  deps.feed.announce(event)
  deps.logger.warn('runner.poll_failed', {
    task: task.id,
    failures,
    lost: notFound,
    stalled: !notFound && delay === false,
    detail: words.message,
  })
}

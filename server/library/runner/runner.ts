import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type PgBoss from 'pg-boss'
import type { Logger } from '../../logger.ts'
import type { Library } from '../library.ts'
import { runArchive } from './archive.ts'
import { createBoss } from './boss.ts'
import { createQueues, QUEUES, sendArchive, sendPoll, sendTurn, type SubmitJob, type TaskJob } from './jobs.ts'
import { runPoll } from './poll.ts'
import { schedulePurge } from './purge.ts'
import type { ProviderClient } from './provider.ts'
import { runTurn } from './submit.ts'

/*
 * The runner: what the browser's submit queue and pollers did, on the gateway, so work goes on with every tab closed.
 * submit → poll → archive, as pg-boss jobs on the library's database. At start it reconciles: every request still
 * waiting gets its turn, every unfinished task its poll, every success not yet archived its archive; a request found
 * 'sending' (the gateway died while it was out) is sent again on the local engine, where a render costs nothing, and
 * on jiekou.ai, where whether it arrived cannot be known, it is failed with words rather than paid for twice. Every
 * minute it purges what was deleted long enough ago (purge.ts).
 */

export interface RunnerDeps {
  library: Library
  logger: Logger
  providers: Record<string, ProviderClient>
  /** The provider key a rate window is counted for (hashed here; never stored). */
  keyOf: (provider: string) => string | undefined
  downloadTimeoutMs?: number
}

export interface Runner {
  boss: PgBoss
  /** Whether archiving is paused because the disk is full. */
  diskFull(): boolean
  stop(): Promise<void>
}

export const DEFAULT_REQUESTS_PER_MINUTE = 10

export async function startRunner(deps: RunnerDeps): Promise<Runner> {
  const { library, logger } = deps
  const { db } = library.store
  const boss = createBoss(library.store, library.config.databaseUrl, library.config.databaseSchema)
  boss.on('error', (err: Error) => logger.error('runner.boss_error', { detail: err.message }))
  await boss.start()
  await createQueues(boss)
  const provider = (id: string) => {
    const client = deps.providers[id]
    if (!client) throw new Error(`No provider ${id}`)
    return client
  }
  // The requests per minute set in the workspace whose request is next; the window they count in is the key's. The
  // local engine has no key: each workspace keeps to its own setting in a window of its own.
  const budget = async (id: string, workspace: string) => {
    const key = id === 'local' ? `workspace:${workspace}` : deps.keyOf(id)
    const setting = await db
      .selectFrom('settings')
      .select('value')
      .where('workspace_id', '=', workspace)
      .where('key', '=', 'requestsPerMinute')
      .executeTakeFirst()
    const perMinute = typeof setting?.value === 'number' ? setting.value : DEFAULT_REQUESTS_PER_MINUTE
    return {
      key: `${id}:${createHash('sha256')
        .update(key ?? '')
        .digest('hex')
        .slice(0, 16)}`,
      perMinute,
    }
  }
  let full = false
  // Tabs hear when archiving pauses for a full disk and when it goes on (their banner and Settings › Storage).
  const diskFullIs = (now: boolean) => {
    if (now === full) return
    full = now
    void library.feed.record(db, 'local', 'storage', ['paused']).catch(() => undefined)
  }
  const common = { db, boss, feed: library.feed, logger, provider }
  const each =
    <T>(fn: (data: T) => Promise<void>) =>
    async (jobs: PgBoss.Job<T>[]) => {
      for (const job of jobs) await fn(job.data)
    }
  await boss.work<SubmitJob>(
    QUEUES.submit,
    { pollingIntervalSeconds: 0.5 },
    each((d) => runTurn({ ...common, blobs: library.blobs, budget }, d.provider)),
  )
  await boss.work<TaskJob>(
    QUEUES.poll,
    { pollingIntervalSeconds: 0.5, batchSize: 4 },
    each((d) => runPoll(common, d.taskRecordId)),
  )
  await boss.work<TaskJob>(
    QUEUES.archive,
    { pollingIntervalSeconds: 0.5 },
    each((d) =>
      runArchive(
        { ...common, blobs: library.blobs, downloadTimeoutMs: deps.downloadTimeoutMs ?? 30_000, onDiskFull: (f) => diskFullIs(f) },
        d.taskRecordId,
      ),
    ),
  )
  await reconcile(deps, boss)
  const stopPurge = schedulePurge({ db, feed: library.feed, logger })
  return {
    boss,
    diskFull: () => full,
    stop: async () => {
      await stopPurge()
      // Jobs in hand may finish for a few seconds; what is left is taken again after the restart.
      await boss.stop({ graceful: true, timeout: 5_000, wait: true })
    },
  }
}

/** After a start: every piece of work the database says is unfinished gets its job (stately queues drop repeats). */
async function reconcile(deps: RunnerDeps, boss: PgBoss): Promise<void> {
  const { db } = deps.library.store
  const cut = await db.selectFrom('submit_queue').select(['id', 'provider']).where('state', '=', 'sending').execute()
  for (const row of cut) {
    // Local: the engine died with the gateway, and a render costs nothing: send it again. jiekou.ai: whether it arrived
    // cannot be known, and paying twice is worse than asking.
    const local = row.provider === 'local'
    await db
      .updateTable('submit_queue')
      .set(
        local
          ? { state: 'queued' }
          : {
              state: 'failed',
              error: sql`cast(${JSON.stringify({
                message:
                  'The gateway stopped while this request was being sent, so it may or may not have reached jiekou.ai. Check your tasks there; Retry sends it again.',
              })} as jsonb)`,
            },
      )
      .where('id', '=', row.id)
      .execute()
  }
  const waiting = await db.selectFrom('submit_queue').select(['provider', 'priority']).where('state', '=', 'queued').execute()
  for (const w of waiting) await sendTurn(boss, w.provider, undefined, w.priority === 0 ? 1 : 0)
  const unfinished = await db
    .selectFrom('tasks')
    .select(['id', 'next_poll_at'])
    .where('finished_at', 'is', null)
    .where('lost', '=', false)
    .where('stalled', 'is', null)
    .where('status', '!=', 'TASK_STATUS_SUCCEED')
    .execute()
  for (const t of unfinished) await sendPoll(boss, t.id, t.next_poll_at ?? undefined)
  const unarchived = await db
    .selectFrom('tasks')
    .select('id')
    .where('status', '=', 'TASK_STATUS_SUCCEED')
    .where('archived_at', 'is', null)
    .execute()
  for (const t of unarchived) await sendArchive(boss, t.id, undefined)
  if (cut.length + waiting.length + unfinished.length + unarchived.length > 0)
    deps.logger.info('runner.resumed', {
      cut: cut.length,
      waiting: waiting.length,
      polling: unfinished.length,
      archiving: unarchived.length,
    })
}

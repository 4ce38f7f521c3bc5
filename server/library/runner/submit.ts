import { nextPollDelay, submittedSample } from '../../../src/api/poll-interval.ts'
import { sql } from 'kysely'
import { buffer } from 'node:stream/consumers'
import type PgBoss from 'pg-boss'
import { describeError, isApiError } from '../../../src/api/errors.ts'
import type { Logger } from '../../logger.ts'
import type { BlobStore } from '../blobs/blob-store.ts'
import { jsonb, type LibraryKysely } from '../db/db.ts'
import type { QueueRow } from '../db/schema.ts'
import type { ChangeFeed, LibraryEvent } from '../events.ts'
import { sendPoll, sendTurn } from './jobs.ts'
import type { ProviderClient } from './provider.ts'
import { takeTurn } from './rate-window.ts'

/*
 * One turn of a provider's submit queue (the browser's submit-queue.ts, now on the gateway): under the key's rate
 * window, the next waiting request, a single Generate before a sweep's (priority, then age), is sent. A 429 puts it
 * back with its Retry-After (or 5 s doubling to 2 min); a passing fault (no answer, a timeout, a 5xx) lets it go again
 * the same way, up to six tries; a refusal fails it with its words, and while it waits the rest of its workspace's
 * line waits with it. Each workspace's line is judged on its own: one that must wait never holds another's. A request
 * is marked 'sending' in the database before it leaves, so it is never sent twice: a send cut by a crash is looked up,
 * not repeated (runner.ts).
 */

export interface SubmitDeps {
  db: LibraryKysely
  boss: PgBoss
  blobs: BlobStore
  feed: ChangeFeed
  logger: Logger
  provider: (id: string) => ProviderClient
  /** The rate window's key and its requests per minute for a provider (its key, hashed). */
  budget: (id: string, workspace: string) => Promise<{ key: string; perMinute: number }>
}

export const MAX_SEND_TRIES = 6
const BACKOFF_FIRST_MS = 5_000
const BACKOFF_MAX_MS = 120_000

/** How long a request waits after a 429 or a passing fault: Retry-After, else 5 s doubling to 2 min. */
export const backoffMs = (failures: number, retryAfterSeconds: number | undefined) =>
  retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.max(0, failures - 1))

/** Frames are kept once, by hash: the body names them, and they are put back in as base64 only to send. */
export async function expandBody(body: unknown, blobs: BlobStore): Promise<unknown> {
  if (Array.isArray(body)) return Promise.all(body.map((v) => expandBody(v, blobs)))
  if (body && typeof body === 'object') {
    const ref = (body as { $blob?: unknown }).$blob
    if (typeof ref === 'string') return (await buffer(await blobs.read(ref))).toString('base64')
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(body)) out[k] = await expandBody(v, blobs)
    return out
  }
  return body
}

const nextWaiting = (db: LibraryKysely, provider: string, skipped: readonly string[] = []) =>
  db
    .selectFrom('submit_queue')
    .selectAll()
    .where('provider', '=', provider)
    .where('state', '=', 'queued')
    .where((eb) => eb.or([eb('not_before', 'is', null), eb('not_before', '<=', sql<Date>`clock_timestamp()`)]))
    .$if(skipped.length > 0, (q) => q.where('workspace_id', 'not in', skipped))
    .orderBy('priority')
    .orderBy('created_at')
    .orderBy('id')

/**
 * How long a workspace's line for a provider is held: while any of its requests waits out a 429's Retry-After (or the
 * back-off after a passing fault), the requests behind it wait too, as the studio's own queue did: the provider asked
 * for a pause, not for the next request instead.
 */
async function heldFor(db: LibraryKysely, provider: string, workspace: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('submit_queue')
    .select(sql<number | null>`ceil(extract(epoch from max(not_before) - clock_timestamp()) * 1000)`.as('ms'))
    .where('provider', '=', provider)
    .where('workspace_id', '=', workspace)
    .where('state', '=', 'queued')
    .where('not_before', '>', sql<Date>`clock_timestamp()`)
    .executeTakeFirst()
  return row?.ms ? Math.max(1, Number(row.ms)) : undefined
}

export async function runTurn(deps: SubmitDeps, provider: string): Promise<void> {
  const { db, boss } = deps
  // Workspaces whose line is held (a full window, a 429's pause) are passed over, so one designer's wait never holds
  // another's requests; a turn comes back when the first of them may go.
  const skipped: string[] = []
  let retryInMs: number | undefined
  let workspace: string | undefined
  while (!workspace) {
    const waiting = await nextWaiting(db, provider, skipped).executeTakeFirst()
    if (!waiting) break
    const held = await heldFor(db, provider, waiting.workspace_id)
    const budget = held ? undefined : await deps.budget(provider, waiting.workspace_id)
    const turn = budget ? await takeTurn(db, budget.key, budget.perMinute) : { granted: false as const, retryInMs: held! }
    if (turn.granted) workspace = waiting.workspace_id
    else {
      skipped.push(waiting.workspace_id)
      retryInMs = Math.min(retryInMs ?? turn.retryInMs, turn.retryInMs)
    }
  }
  if (retryInMs !== undefined) await sendTurn(boss, provider, new Date(Date.now() + retryInMs), 0)
  if (!workspace) return
  const granted = workspace
  // Claimed under a row lock that other gateways skip, and marked before the request leaves.
  const row = await db.transaction().execute(async (trx) => {
    const next = await nextWaiting(trx as unknown as LibraryKysely, provider)
      .where('workspace_id', '=', granted)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst()
    if (!next) return undefined
    await trx
      .updateTable('submit_queue')
      .set({ state: 'sending', attempts: sql`attempts + 1`, sent_at: sql`coalesce(sent_at, clock_timestamp())`, updated_at: sql`now()` })
      .where('id', '=', next.id)
      .execute()
    return next
  })
  if (!row) return
  await send(deps, row)
}

async function send(deps: SubmitDeps, row: QueueRow): Promise<void> {
  const { db, boss, feed } = deps
  let taskId: string
  try {
    taskId = await deps.provider(row.provider).submit(row.model_path, await expandBody(row.body, deps.blobs), row.id)
  } catch (err) {
    return settleFailure(deps, row, err)
  }
  const taskRecordId = `${row.provider}:${taskId}`
  const request = row.request as { params?: { prompt?: unknown } }
  const events: LibraryEvent[] = []
  await db.transaction().execute(async (trx) => {
    const now = new Date()
    // The submit is the rule's first sample: the first poll comes after its first wait, not at once.
    const submitted = submittedSample(now.getTime())
    const firstPoll = nextPollDelay({
      data: undefined,
      error: undefined,
      failures: 0,
      hidden: false,
      samples: [submitted],
      now: submitted.at,
    })
    await trx
      .insertInto('tasks')
      .values({
        workspace_id: row.workspace_id,
        id: taskRecordId,
        provider: row.provider,
        task_id: taskId,
        request: jsonb(row.request),
        created_at: now,
        status: 'TASK_STATUS_QUEUED',
        reason: '',
        sent_at: row.sent_at ?? now,
        experiment_id: row.experiment_id,
        cell: row.cell === null ? null : jsonb(row.cell),
        next_poll_at: new Date(submitted.at + (firstPoll || 0)),
        poll_samples: jsonb([submitted]),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
    await trx
      .updateTable('submit_queue')
      .set({
        state: sql`case when state = 'cancelled' then 'cancelled' else 'sent' end`,
        task_record_id: taskRecordId,
        error: null,
        updated_at: sql`now()`,
      })
      .where('id', '=', row.id)
      .execute()
    if (row.retry_of) await trx.updateTable('tasks').set({ retried_as: taskRecordId }).where('id', '=', row.retry_of).execute()
    const prompt = typeof request.params?.prompt === 'string' ? request.params.prompt.trim() : ''
    if (prompt)
      await trx
        .insertInto('prompts')
        .values({ workspace_id: row.workspace_id, text: prompt, last_used_at: now, uses: 1 })
        .onConflict((oc) => oc.columns(['workspace_id', 'text']).doUpdateSet({ last_used_at: now, uses: sql`prompts.uses + 1` }))
        .execute()
    await sendPoll(boss, taskRecordId, new Date(submitted.at + (firstPoll || 0)), trx)
    events.push(await feed.record(trx, row.workspace_id, 'tasks', [taskRecordId]))
    events.push(await feed.record(trx, row.workspace_id, 'queue', [row.id]))
    if (prompt) events.push(await feed.record(trx, row.workspace_id, 'prompts', []))
  })
  feed.announce(...events)
  deps.logger.info('runner.sent', { request: row.id, task: taskRecordId })
}

async function settleFailure(deps: SubmitDeps, row: QueueRow, err: unknown): Promise<void> {
  const { db, boss, feed } = deps
  const transient = isApiError(err) && err.transient
  const failures = ((row.trouble as { failures?: number } | null)?.failures ?? 0) + 1
  const limited = isApiError(err) && err.status === 429
  const again = !(await isCancelled(db, row.id)) && (limited || (transient && failures < MAX_SEND_TRIES))
  const words = describeError(err)
  // The words whole: a refused key keeps its way out (`fix`: Settings) and which account fault it is, so a tab that
  // reads the failure back words it as the gateway's key when JIEKOU_API_KEY holds it (errors.ts wordsWithServerKey).
  const stored = { ...words, status: isApiError(err) ? err.status : undefined }
  const event = await db.transaction().execute(async (trx) => {
    if (again) {
      const waitMs = backoffMs(limited ? row.attempts : failures, isApiError(err) ? err.retryAfter : undefined)
      const at = new Date(Date.now() + waitMs)
      await trx
        .updateTable('submit_queue')
        .set({
          state: 'queued',
          not_before: at,
          trouble: limited ? row.trouble : jsonb({ failures, lookup: !isApiError(err) || err.kind !== 'http' }),
          error: jsonb(stored),
          updated_at: sql`now()`,
        })
        .where('id', '=', row.id)
        .where('state', '=', 'sending')
        .execute()
      await sendTurn(boss, row.provider, at, row.priority === 0 ? 1 : 0, trx)
    } else {
      await trx
        .updateTable('submit_queue')
        .set({
          state: sql`case when state = 'cancelled' then 'cancelled' else 'failed' end`,
          error: jsonb(stored),
          updated_at: sql`now()`,
        })
        .where('id', '=', row.id)
        .execute()
    }
    return feed.record(trx, row.workspace_id, 'queue', [row.id])
  })
  feed.announce(event)
  deps.logger.warn('runner.send_failed', {
    request: row.id,
    again,
    status: isApiError(err) ? err.status : undefined,
    detail: words.message,
  })
}

const isCancelled = async (db: LibraryKysely, id: string) =>
  (await db.selectFrom('submit_queue').select('state').where('id', '=', id).executeTakeFirst())?.state === 'cancelled'

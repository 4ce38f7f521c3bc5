import { Hono } from 'hono'
import type { Transaction } from 'kysely'
import type PgBoss from 'pg-boss'
import { FINAL_STATUSES } from '../../../src/api/schemas.ts'
import { ContractError } from '../../errors.ts'
import { jsonb } from '../db/db.ts'
import {
  heldKeys,
  insertExperiments,
  insertFrames,
  insertPrompts,
  insertSamples,
  insertTasks,
  reopenImportedArchives,
  type ImportKind,
} from '../db/queries/import.ts'
import type { LibraryTables } from '../db/schema.ts'
import type { LibraryEvent } from '../events.ts'
import type { Library } from '../library.ts'
import { sendArchive, sendPoll } from '../runner/jobs.ts'
import { readJson, type LibraryEnv } from './http.ts'
import { checkImport, type Tally } from './import-checks.ts'
import { heldBody, HELD_EXAMPLE, IMPORT_EXAMPLE, importBody, MAX_IMPORT_BYTES, type ImportBody } from './import-schema.ts'

/*
 * The move from the browser's storage to the gateway. POST /import writes the studio's records where their keys are
 * free (ON CONFLICT DO NOTHING), so a migration cut short resumes by sending the same part again; it answers what it
 * added and what was there already. Files come first (PUT /blobs/<sha256>): a record naming a file the gateway does not
 * hold is refused. A task still running is handed to the runner at once, which polls it by the studio's own rule; a
 * sample with a live link and no stored copy is copied by the runner's archive. POST /import/held says which records
 * the gateway holds: the migration's check before it deletes anything in the browser.
 */

const KINDS: ImportKind[] = ['tasks', 'samples', 'experiments', 'prompts', 'frames']

/** A copy needs some of the link's life left to start and finish. */
const LINK_MARGIN_MS = 60_000

type Task = NonNullable<ImportBody['tasks']>[number]
type Sample = NonNullable<ImportBody['samples']>[number]

const isFinal = (status: string) => (FINAL_STATUSES as readonly string[]).includes(status)
/** Followed by the runner as it follows its own: not final, not lost, and not stalled (a stalled one waits for Resume). */
const isRunning = (t: Task) => !isFinal(t.status) && !t.lost && !t.stalled
const needsCopy = (s: Sample, now: number) => !s.videoSha256 && !s.deletedAt && s.urlExpiresAt > now + LINK_MARGIN_MS

/** Each record once, by its key (the first one sent wins). */
const once = <T>(records: readonly T[] | undefined, key: (r: T) => string) => {
  const seen = new Map<string, T>()
  for (const r of records ?? []) if (!seen.has(key(r))) seen.set(key(r), r)
  return [...seen.values()]
}

const at = (ms: number | undefined) => (ms === undefined ? null : new Date(ms))

export function importRoutes(library: Library, boss: () => PgBoss | undefined): Hono<LibraryEnv> {
  const { db } = library.store
  const app = new Hono<LibraryEnv>()

  app.post('/', async (c) => {
    const body = await readJson(c, importBody, {
      maxBytes: MAX_IMPORT_BYTES,
      purpose: 'a part of an import',
      example: IMPORT_EXAMPLE,
      paths: true,
    })
    const ws = c.get('workspace')
    const now = Date.now()
    const records = {
      tasks: once(body.tasks, (t) => t.id),
      samples: once(body.samples, (s) => s.id),
      experiments: once(body.experiments, (e) => e.id),
      prompts: once(body.prompts, (p) => p.text),
      frames: once(body.frames, (f) => f.hash),
    }
    const runner = boss()
    if (!runner && (records.tasks.some(isRunning) || records.samples.some((s) => needsCopy(s, now))))
      throw new ContractError(503, 'SERVICE_NOT_AVAILABLE', 'The gateway is starting its runner. Try again in a few seconds.')

    const done = await db.transaction().execute(async (trx) => {
      await checkImport(trx, ws, records)
      const written: Record<ImportKind, string[]> = {
        experiments: await insertExperiments(
          trx,
          records.experiments.map((e) => ({
            workspace_id: ws,
            id: e.id,
            name: e.name,
            created_at: new Date(e.createdAt),
            base: jsonb(e.base),
            rows: jsonb(e.rows),
            columns: jsonb(e.columns),
            marks: jsonb(e.marks ?? {}),
            deleted_at: at(e.deletedAt),
          })),
        ),
        tasks: await insertTasks(
          trx,
          records.tasks.map((t) => {
            const finished = isFinal(t.status) || t.lost === true
            const end = new Date(t.finishedAt ?? t.createdAt)
            return {
              workspace_id: ws,
              id: t.id,
              provider: t.provider,
              task_id: t.taskId,
              request: jsonb(t.request),
              created_at: new Date(t.createdAt),
              status: t.status,
              reason: t.reason ?? '',
              finished_at: finished ? end : null,
              seed: t.seed ?? null,
              video_count: t.videoCount ?? null,
              retried_as: t.retriedAs ?? null,
              dismissed: t.dismissed ?? false,
              sent_at: at(t.sentAt),
              experiment_id: t.experimentId ?? null,
              cell: t.cell ? jsonb(t.cell) : null,
              stalled: t.stalled ? jsonb(t.stalled) : null,
              lost: t.lost ?? false,
              eta_seconds: t.etaSeconds ?? null,
              progress_percent: t.progressPercent ?? null,
              next_poll_at: isRunning(t) ? new Date(now) : null,
              // The studio kept what it could of a success; a sample it could not keep opens the archive again.
              archived_at: t.status === 'TASK_STATUS_SUCCEED' ? end : null,
            }
          }),
        ),
        samples: await insertSamples(
          trx,
          records.samples.map((s) => ({
            workspace_id: ws,
            id: s.id,
            task_record_id: s.taskRecordId,
            provider: s.provider,
            idx: s.index,
            request: jsonb(s.request),
            seed: s.seed ?? null,
            created_at: new Date(s.createdAt),
            video_url: s.videoUrl,
            url_expires_at: new Date(s.urlExpiresAt),
            video_sha256: s.videoSha256 ?? null,
            poster_sha256: s.posterSha256 ?? null,
            store_error: s.storeError ?? null,
            favourite: s.favourite,
            deleted_at: at(s.deletedAt),
          })),
        ),
        prompts: await insertPrompts(
          trx,
          records.prompts.map((p) => ({ workspace_id: ws, text: p.text, last_used_at: new Date(p.lastUsedAt), uses: p.uses })),
        ),
        frames: await insertFrames(
          trx,
          records.frames.map((f) => ({
            workspace_id: ws,
            hash: f.hash,
            mime: f.mime,
            width: f.width,
            height: f.height,
            bytes: f.bytes,
            name: f.name,
            thumb_sha256: f.thumbSha256 ?? null,
            added_at: new Date(f.addedAt),
          })),
        ),
      }
      const present = await presentOrTaken(trx, ws, records, written)
      await handToRunner(trx, ws, runner, records, written, now)
      const events: LibraryEvent[] = []
      for (const kind of KINDS)
        if (written[kind].length)
          // Prompts are keyed by their text: the list reads again, without carrying every prompt in the feed.
          events.push(await library.feed.record(trx, ws, kind, kind === 'prompts' ? [] : written[kind]))
      const added = Object.fromEntries(KINDS.map((k) => [k, written[k].length])) as Tally
      return { added, present, events }
    })
    library.feed.announce(...done.events)
    return c.json({ added: done.added, present: done.present })
  })

  app.post('/held', async (c) => {
    const body = await readJson(c, heldBody, {
      maxBytes: MAX_IMPORT_BYTES,
      purpose: 'a list of records',
      example: HELD_EXAMPLE,
      paths: true,
    })
    const ws = c.get('workspace')
    const answer: Partial<Record<ImportKind, string[]>> = {}
    for (const kind of KINDS) {
      const asked = body[kind]
      if (!asked) continue
      const held = new Set(await heldKeys(db, ws, kind, [...new Set(asked)]))
      answer[kind] = [...new Set(asked)].filter((k) => held.has(k))
    }
    return c.json(answer)
  })

  return app
}

const keyOf: Record<ImportKind, (r: never) => string> = {
  tasks: (r: { id: string }) => r.id,
  samples: (r: { id: string }) => r.id,
  experiments: (r: { id: string }) => r.id,
  prompts: (r: { text: string }) => r.text,
  frames: (r: { hash: string }) => r.hash,
}

/**
 * How many records not written were held by this workspace already. A key held by another workspace (ids of tasks,
 * samples and experiments are the library's own, across workspaces) refuses the whole part.
 */
async function presentOrTaken(
  trx: Transaction<LibraryTables>,
  ws: string,
  records: Record<ImportKind, readonly unknown[]>,
  written: Record<ImportKind, string[]>,
): Promise<Tally> {
  const present = {} as Tally
  for (const kind of KINDS) {
    const wrote = new Set(written[kind])
    const rest = records[kind].map((r) => keyOf[kind](r as never)).filter((k) => !wrote.has(k))
    const held = await heldKeys(trx, ws, kind, rest)
    present[kind] = held.length
    if (held.length < rest.length) {
      const mine = new Set(held)
      const taken = rest.filter((k) => !mine.has(k))
      throw new ContractError(
        409,
        'INVALID_REQUEST_BODY',
        `The ${kind} ${taken.slice(0, 3).join(', ')}${taken.length > 3 ? ` and ${taken.length - 3} more` : ''} cannot be imported: their ids are taken by another workspace on this gateway. Nothing was imported; leave them out and send the rest again.`,
        { kind, taken: taken.slice(0, 100) },
      )
    }
  }
  return present
}

/** Work for the runner, in the same transaction: the running tasks written get a poll now; unkept videos a copy. */
async function handToRunner(
  trx: Transaction<LibraryTables>,
  ws: string,
  runner: PgBoss | undefined,
  records: { tasks: readonly Task[]; samples: readonly Sample[] },
  written: Record<ImportKind, string[]>,
  now: number,
): Promise<void> {
  if (!runner) return
  const wroteTask = new Set(written.tasks)
  for (const t of records.tasks) if (wroteTask.has(t.id) && isRunning(t)) await sendPoll(runner, t.id, undefined, trx)
  const wroteSample = new Set(written.samples)
  const toCopy = new Set(records.samples.filter((s) => wroteSample.has(s.id) && needsCopy(s, now)).map((s) => s.taskRecordId))
  for (const id of await reopenImportedArchives(trx, ws, [...toCopy])) await sendArchive(runner, id, undefined, trx)
}

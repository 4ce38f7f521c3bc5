import type { Transaction } from 'kysely'
import { ContractError } from '../../errors.ts'
import { heldBlobs } from '../db/queries/blobs.ts'
import { heldKeys, type ImportKind } from '../db/queries/import.ts'
import type { LibraryTables } from '../db/schema.ts'
import type { ImportBody } from './import-schema.ts'

/*
 * What an import must hold before anything is written: every file a record names is in the blob store (put first with
 * PUT /blobs/<sha256>), and every sample's task is the gateway's already or comes in the same part. A refusal names
 * the first record and the fix, and lists what is missing in metadata, so a migration can put it and send the part
 * again.
 */

export type Tally = Record<ImportKind, number>

type Records = { [K in 'samples' | 'frames' | 'tasks']: readonly NonNullable<ImportBody[K]>[number][] }

const MAX_LISTED = 100

export async function checkImport(trx: Transaction<LibraryTables>, ws: string, records: Records): Promise<void> {
  const named: { sha: string; words: string }[] = []
  for (const s of records.samples) {
    if (s.videoSha256) named.push({ sha: s.videoSha256, words: `The sample ${s.id} names the video ${s.videoSha256}` })
    if (s.posterSha256) named.push({ sha: s.posterSha256, words: `The sample ${s.id} names the still ${s.posterSha256}` })
  }
  for (const f of records.frames) {
    named.push({ sha: f.hash, words: `The frame ${f.hash} (${f.name}) names its own bytes` })
    if (f.thumbSha256) named.push({ sha: f.thumbSha256, words: `The frame ${f.hash} (${f.name}) names the thumbnail ${f.thumbSha256}` })
  }
  const held = new Set(
    await heldBlobs(
      trx,
      named.map((n) => n.sha),
    ),
  )
  const missing = named.filter((n) => !held.has(n.sha))
  if (missing.length) {
    const files = [...new Set(missing.map((m) => m.sha))]
    const first = missing[0]!
    throw new ContractError(
      400,
      'INVALID_REQUEST_BODY',
      `${first.words}, which the gateway does not hold: upload it to PUT /api/library/blobs/${first.sha} first, then import again.${files.length > 1 ? ` ${files.length - 1} more files are missing too (metadata.missing lists them).` : ''} Nothing was imported.`,
      { missing: files.slice(0, MAX_LISTED) },
    )
  }

  const inPart = new Set(records.tasks.map((t) => t.id))
  const needed = [...new Set(records.samples.map((s) => s.taskRecordId).filter((id) => !inPart.has(id)))]
  const heldTasks = new Set(await heldKeys(trx, ws, 'tasks', needed))
  const orphans = records.samples.filter((s) => !inPart.has(s.taskRecordId) && !heldTasks.has(s.taskRecordId))
  if (orphans.length) {
    const tasks = [...new Set(orphans.map((s) => s.taskRecordId))]
    throw new ContractError(
      400,
      'INVALID_REQUEST_BODY',
      `The sample ${orphans[0]!.id} belongs to the task ${orphans[0]!.taskRecordId}, which the gateway does not hold: import the task first, in this part or an earlier one.${tasks.length > 1 ? ` ${tasks.length - 1} more tasks are missing too (metadata.missingTasks lists them).` : ''} Nothing was imported.`,
      { missingTasks: tasks.slice(0, MAX_LISTED) },
    )
  }
}

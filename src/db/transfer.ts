import * as z from 'zod/mini'
import type { CallOptions } from '../api/client'
import { librarySend } from '../api/library-client'
import type { ExperimentRecord, FrameRecord, PromptRecord, SampleRecord, StoredRequest, TaskRecord } from './db'

/*
 * Bringing records and files into the gateway's library: an import of an export zip (the transfer feature) and the move
 * of the browser's old library (the migrate feature) both put each file by its SHA-256 first (PUT /blobs/<sha256>,
 * skipping what POST /blobs/held says is there), then send the records that name them (POST /import, at most 2,000 a
 * call, in the API's own shapes). The gateway adds a record only where its id is free, so a call made again adds
 * nothing twice: that is what lets a move cut short be resumed.
 */

/** What to export: the whole gallery, the samples ticked with Select, or one experiment with its board. */
export type ExportScope = { kind: 'gallery' } | { kind: 'selection'; sampleIds: readonly string[] } | { kind: 'experiment'; id: string }

/** A sample as the library API writes it (server/library/api/records.ts): a boolean favourite, its files by hash. */
export interface ImportSample {
  id: string
  taskRecordId: string
  provider: SampleRecord['provider']
  index: number
  request: SampleRecord['request']
  seed?: string
  createdAt: number
  videoUrl: string
  urlExpiresAt: number
  stored: boolean
  videoSha256?: string
  posterSha256?: string
  favourite: boolean
}
export type ImportTask = Omit<TaskRecord, 'dismissed'> & { dismissed: boolean }
export type ImportExperiment = Omit<ExperimentRecord, 'deletedAt'>
export type ImportFrame = Omit<FrameRecord, 'blob' | 'thumb'> & { thumbSha256?: string }

export interface ImportRecords {
  frames: ImportFrame[]
  prompts: PromptRecord[]
  experiments: ImportExperiment[]
  tasks: ImportTask[]
  samples: ImportSample[]
}
export type ImportKind = keyof ImportRecords

/** The order of a move: what a record names goes first (a sample names its task, a task its experiment). */
export const IMPORT_ORDER: readonly ImportKind[] = ['frames', 'prompts', 'experiments', 'tasks', 'samples']

/** The most records POST /import takes in one call. */
const IMPORT_BATCH = 2000
/** The most keys one POST /import/held or /blobs/held asks about. */
const HELD_BATCH = 1000

/** A record without its fields that hold nothing (JSON leaves them out anyway; the API's records never carry them). */
function defined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T
}

/** A request as the API takes it: the model, its parameters and its frames, nothing else. */
const storedRequest = (r: StoredRequest): StoredRequest => ({ modelId: r.modelId, params: r.params ?? {}, frames: r.frames ?? {} })

/* The gateway's limits on a record's text (server/library/api/import-schema.ts): longer text is cut, never refused. */
const NAME_MAX = 200
const REASON_MAX = 10_000

/**
 * A sample in the API's shape, with where the gateway keeps its video and poster. What only the browser's copy meant
 * (storeError, offloadedAt: the browser's quota) stays behind.
 */
export function importSample(
  s: Pick<SampleRecord, 'id' | 'taskRecordId' | 'provider' | 'index' | 'request' | 'createdAt' | 'videoUrl' | 'urlExpiresAt'> & {
    seed?: string | undefined
    favourite: 0 | 1 | boolean
  },
  files: { videoSha256?: string | undefined; posterSha256?: string | undefined } = {},
): ImportSample {
  return defined({
    id: s.id,
    taskRecordId: s.taskRecordId,
    provider: s.provider,
    index: s.index,
    request: storedRequest(s.request),
    seed: s.seed,
    createdAt: s.createdAt,
    videoUrl: s.videoUrl,
    urlExpiresAt: s.urlExpiresAt,
    stored: files.videoSha256 !== undefined,
    videoSha256: files.videoSha256,
    posterSha256: files.videoSha256 === undefined ? undefined : files.posterSha256,
    favourite: Boolean(s.favourite),
  } as ImportSample)
}

/** A task in the API's shape: the fields it names, and no other (the gateway refuses a field it does not know). */
export const importTask = (t: TaskRecord): ImportTask =>
  defined({
    id: t.id,
    provider: t.provider,
    taskId: t.taskId,
    request: storedRequest(t.request),
    createdAt: t.createdAt,
    status: t.status,
    reason: (t.reason ?? '').slice(0, REASON_MAX),
    finishedAt: t.finishedAt,
    seed: t.seed,
    videoCount: t.videoCount,
    retriedAs: t.retriedAs,
    dismissed: Boolean(t.dismissed),
    sentAt: t.sentAt,
    experimentId: t.experimentId,
    cell: t.cell,
    stalled: t.stalled,
    lost: t.lost,
    etaSeconds: t.etaSeconds,
    progressPercent: t.progressPercent,
  })

export const importExperiment = (e: ExperimentRecord): ImportExperiment =>
  defined({
    id: e.id,
    name: e.name.slice(0, NAME_MAX),
    createdAt: e.createdAt,
    base: storedRequest(e.base),
    rows: e.rows,
    columns: e.columns,
    marks: e.marks ?? {},
  })

export const importFrame = (f: Omit<FrameRecord, 'blob' | 'thumb'>, thumbSha256?: string): ImportFrame =>
  defined({
    hash: f.hash,
    mime: f.mime,
    width: f.width,
    height: f.height,
    bytes: f.bytes,
    name: f.name.slice(0, 255),
    addedAt: f.addedAt,
    thumbSha256,
  })

export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Records split into POST /import calls of at most `size` records, kinds in IMPORT_ORDER. */
export function importCalls(records: Partial<ImportRecords>, size = IMPORT_BATCH): Partial<ImportRecords>[] {
  const calls: Partial<ImportRecords>[] = []
  let call: Partial<ImportRecords> = {}
  let room = size
  for (const kind of IMPORT_ORDER) {
    let list: readonly unknown[] = records[kind] ?? []
    while (list.length) {
      const part = list.slice(0, room)
      ;(call as Record<ImportKind, unknown[]>)[kind] = part
      list = list.slice(part.length)
      room -= part.length
      if (room === 0) {
        calls.push(call)
        call = {}
        room = size
      }
    }
  }
  if (room < size) calls.push(call)
  return calls
}

const heldSchema = z.record(z.string(), z.array(z.string()))

/** Which of these records the gateway holds (deleted or not), by kind: a key it holds is never sent again. */
export async function heldRecords(
  keys: Partial<Record<ImportKind, readonly string[]>>,
  opts: CallOptions = {},
): Promise<Record<ImportKind, Set<string>>> {
  const held = Object.fromEntries(IMPORT_ORDER.map((k) => [k, new Set<string>()])) as Record<ImportKind, Set<string>>
  const asked = IMPORT_ORDER.flatMap((kind) => (keys[kind] ?? []).map((key) => ({ kind, key })))
  // Every kind in one question, up to HELD_BATCH keys in all.
  for (const part of batches(asked, HELD_BATCH)) {
    const body: Partial<Record<ImportKind, string[]>> = {}
    for (const { kind, key } of part) (body[kind] ??= []).push(key)
    const answer = await librarySend('POST', '/import/held', body, heldSchema, opts)
    for (const kind of IMPORT_ORDER) for (const key of answer[kind] ?? []) held[kind].add(key)
  }
  return held
}

/** Sends records to the library, in calls of at most 2,000; `onCall` hears how many each call carried. */
export async function sendImport(
  records: Partial<ImportRecords>,
  opts: CallOptions & { onCall?: ((count: number) => void) | undefined } = {},
): Promise<void> {
  for (const call of importCalls(records)) {
    await librarySend('POST', '/import', call, z.unknown(), { ...opts, timeoutMs: 120_000 })
    opts.onCall?.(IMPORT_ORDER.reduce((n, k) => n + (call[k]?.length ?? 0), 0))
  }
}

/** Which of these files the gateway holds already. */
async function heldBlobs(sha256s: readonly string[], opts: CallOptions = {}): Promise<Set<string>> {
  const held = new Set<string>()
  for (const part of batches([...new Set(sha256s)], HELD_BATCH)) {
    const answer = await librarySend('POST', '/blobs/held', { sha256: part }, z.object({ held: z.array(z.string()) }), opts)
    for (const sha of answer.held) held.add(sha)
  }
  return held
}

/** Puts a file by its SHA-256; the gateway keeps it only when its bytes match the hash and its type. */
async function putBlob(sha256: string, blob: Blob, opts: CallOptions = {}): Promise<void> {
  // A large video on a slow uplink: ten minutes, not the 30 s of a JSON call.
  await librarySend('PUT', `/blobs/${sha256}`, blob, z.unknown(), { timeoutMs: 600_000, ...opts })
}

/** A file to bring in: its hash, its bytes (with their type) and how large it is, for the progress. */
export interface IncomingFile {
  sha256: string
  blob: Blob
}

/**
 * Puts every file the gateway does not hold yet, one at a time (a move can hold gigabytes). `onBytes` hears each file's
 * size once it is there, held already or put now.
 */
export async function putMissingBlobs(
  files: readonly IncomingFile[],
  opts: CallOptions & { onBytes?: ((bytes: number) => void) | undefined } = {},
): Promise<void> {
  const held = await heldBlobs(
    files.map((f) => f.sha256),
    opts,
  )
  const sent = new Set<string>()
  for (const f of files) {
    if (!held.has(f.sha256) && !sent.has(f.sha256)) {
      await putBlob(f.sha256, f.blob, opts)
      sent.add(f.sha256)
    }
    opts.onBytes?.(f.blob.size)
  }
}

import Dexie, { type EntityTable } from 'dexie'
import type { ExperimentRecord, FrameRecord, PromptRecord, QueueItem, SampleRecord, TaskRecord } from './db'

/*
 * The browser's old library: the IndexedDB database 'veo-studio' the studio kept before the gateway held the library,
 * read once to move it across (features/migrate), then deleted. Loaded only by that move, through a dynamic import, so
 * Dexie never joins the studio's own chunks. The schema is the old one, versions and upgrade included: a library last
 * opened by an older studio opens here as it would have there.
 */

const LEGACY_DB_NAME = 'veo-studio'

/** A video's stored copy in the old library, by its sample's id. */
export interface LegacyVideo {
  sampleId: string
  blob: Blob
  /** A still from the middle of the video, for the gallery card at rest. */
  poster?: Blob | undefined
  /** SHA-256 of `blob`, hex, where known (an import set it, or a move cut short computed it). */
  sha256?: string | undefined
}

type LegacyDb = Dexie & {
  frames: EntityTable<FrameRecord, 'hash'>
  tasks: EntityTable<TaskRecord, 'id'>
  samples: EntityTable<SampleRecord, 'id'>
  videos: EntityTable<LegacyVideo, 'sampleId'>
  experiments: EntityTable<ExperimentRecord, 'id'>
  queue: EntityTable<QueueItem, 'id'>
  prompts: EntityTable<PromptRecord, 'text'>
}

function open(): LegacyDb {
  const db = new Dexie(LEGACY_DB_NAME) as LegacyDb
  db.version(1).stores({
    frames: 'hash',
    tasks: 'id, createdAt, status',
    samples: 'id, taskRecordId, createdAt, favourite',
    videos: 'sampleId',
  })
  // Version 2: samples name their provider (the task's, or the id's own prefix).
  db.version(2)
    .stores({ tasks: 'id, createdAt', samples: 'id, createdAt' })
    .upgrade(async (tx) => {
      const providerOfTask = new Map((await tx.table<TaskRecord>('tasks').toArray()).map((t) => [t.id, t.provider]))
      await tx
        .table<SampleRecord>('samples')
        .toCollection()
        .modify((sample) => {
          sample.provider = providerOfTask.get(sample.taskRecordId) ?? (sample.taskRecordId.startsWith('jiekou:') ? 'jiekou' : 'local')
        })
    })
  // Version 3: experiments, the persisted submit queue, and the prompt history.
  db.version(3).stores({
    tasks: 'id, createdAt, experimentId',
    experiments: 'id, createdAt',
    queue: 'id, createdAt',
    prompts: 'text, lastUsedAt',
  })
  return db
}

let opened: LegacyDb | undefined
/** The old library (opened on first use; opening it creates it when it is not there, so ask oldLibraryPresent first). */
export const legacyDb = (): LegacyDb => (opened ??= open())

/** Everything the old library holds; the files as the browser's Blobs (read from disk only when used). */
export interface LegacyLibrary {
  tasks: TaskRecord[]
  samples: SampleRecord[]
  experiments: ExperimentRecord[]
  prompts: PromptRecord[]
  frames: FrameRecord[]
  queue: QueueItem[]
  videos: Map<string, LegacyVideo>
}

export async function readLegacyLibrary(): Promise<LegacyLibrary> {
  const db = legacyDb()
  return db.transaction('r', [db.tasks, db.samples, db.experiments, db.prompts, db.frames, db.queue, db.videos], async () => ({
    tasks: await db.tasks.toArray(),
    samples: await db.samples.toArray(),
    experiments: await db.experiments.toArray(),
    prompts: await db.prompts.toArray(),
    frames: await db.frames.toArray(),
    queue: await db.queue.toArray(),
    videos: new Map((await db.videos.toArray()).map((v) => [v.sampleId, v])),
  }))
}

/**
 * Keeps a video's computed SHA-256 on its record: a move cut short and resumed need not read that video again to
 * know it. The one write the move makes to the old library; nothing is removed.
 */
export async function rememberVideoHash(sampleId: string, sha256: string): Promise<void> {
  await legacyDb().videos.update(sampleId, { sha256 })
}

/** Deletes the old library, once the gateway has confirmed every item of it. */
export async function deleteLegacyLibrary(): Promise<void> {
  const db = legacyDb()
  opened = undefined
  await db.delete()
}

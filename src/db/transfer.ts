import { sha256Hex } from '../lib/bytes'
import { db, type ExperimentRecord, type FrameRecord, type SampleRecord, type StoredRequest, type TaskRecord, type VideoRecord } from './db'

/*
 * Export and import (Settings › Back up and move, the selection bar, a board): the reads an export makes and the one
 * write an import makes. The zip itself (fflate, the manifest, the checks) lives in the transfer feature, loaded on
 * demand; this module only knows records and blobs.
 */

/** What to export: the whole gallery, the samples ticked with Select, or one experiment with its board. */
export type ExportScope = { kind: 'gallery' } | { kind: 'selection'; sampleIds: readonly string[] } | { kind: 'experiment'; id: string }

export interface ExportContents {
  samples: SampleRecord[]
  /** Each sample's stored copy, by sample id: every sample above has one. */
  videos: Map<string, VideoRecord>
  tasks: TaskRecord[]
  experiments: ExperimentRecord[]
  frames: FrameRecord[]
  /** Samples in scope left out: their video is not on this device (never kept, or dropped to free space). */
  skipped: number
}

const live = <T extends object>(r: T) => !('deletedAt' in r && r.deletedAt !== undefined)

/** Only finished tasks travel: an unfinished one would be polled by the studio that imports it, on a gateway that never knew it. */
const finished = (t: TaskRecord) => t.finishedAt !== undefined

const frameHashes = (requests: readonly StoredRequest[]) =>
  new Set(requests.flatMap((r) => Object.values(r.frames).flatMap((f) => (f?.kind === 'stored' ? [f.hash] : []))))

/**
 * Everything an export of `scope` holds, read in ONE transaction, so a sample deleted meanwhile never leaves its task
 * behind alone. The samples of the scope (not deleted, with their stored copy), the tasks they come from, the
 * experiments those tasks belong to (with every finished task of each, so a board comes back whole), and the frames
 * their requests use.
 */
export async function readExport(scope: ExportScope): Promise<ExportContents> {
  return db.transaction('r', [db.samples, db.videos, db.tasks, db.experiments, db.frames], async () => {
    let inScope: SampleRecord[]
    let experimentIds: Set<string>
    if (scope.kind === 'gallery') {
      inScope = (await db.samples.orderBy('createdAt').toArray()).filter(live)
      experimentIds = new Set((await db.experiments.toArray()).filter(live).map((e) => e.id))
    } else if (scope.kind === 'selection') {
      inScope = (await db.samples.bulkGet([...scope.sampleIds])).filter((s): s is SampleRecord => s !== undefined && live(s))
      const owners = await db.tasks.bulkGet(inScope.map((s) => s.taskRecordId))
      experimentIds = new Set(owners.flatMap((t) => (t?.experimentId ? [t.experimentId] : [])))
    } else {
      const tasks = await db.tasks.where('experimentId').equals(scope.id).toArray()
      const ids = new Set(tasks.map((t) => t.id))
      inScope = (await db.samples.filter((s) => ids.has(s.taskRecordId)).toArray()).filter(live)
      experimentIds = new Set([scope.id])
    }
    const experiments = (await db.experiments.bulkGet([...experimentIds])).filter((e): e is ExperimentRecord => e !== undefined && live(e))
    const stored = await db.videos.bulkGet(inScope.map((s) => s.id))
    const videos = new Map(stored.filter((v): v is VideoRecord => v !== undefined).map((v) => [v.sampleId, v]))
    const samples = inScope.filter((s) => videos.has(s.id))

    // The tasks of the samples, and, for a gallery, every finished task; each experiment's finished tasks too. Never
    // one of an experiment deleted and still undoable: its Undo is the designer's, not the export's.
    const deleted = new Set((await db.experiments.toArray()).filter((e) => e.deletedAt !== undefined).map((e) => e.id))
    const taskIds = new Set(samples.map((s) => s.taskRecordId))
    const tasks = new Map<string, TaskRecord>()
    const add = (t: TaskRecord | undefined) =>
      t && finished(t) && !(t.experimentId !== undefined && deleted.has(t.experimentId)) && tasks.set(t.id, t)
    if (scope.kind === 'gallery') (await db.tasks.toArray()).forEach(add)
    else (await db.tasks.bulkGet([...taskIds])).forEach(add)
    for (const e of experiments) (await db.tasks.where('experimentId').equals(e.id).toArray()).forEach(add)

    const hashes = frameHashes([
      ...samples.map((s) => s.request),
      ...[...tasks.values()].map((t) => t.request),
      ...experiments.map((e) => e.base),
    ])
    const frames = (await db.frames.bulkGet([...hashes])).filter((f): f is FrameRecord => f !== undefined)
    return {
      samples,
      videos,
      tasks: [...tasks.values()].sort((a, b) => a.createdAt - b.createdAt),
      experiments,
      frames,
      skipped: inScope.length - samples.length,
    }
  })
}

/**
 * The stored videos (of samples still in the studio) whose SHA-256 may equal one of `incoming`: only blobs of the same
 * size are hashed, so a large gallery is not read whole. A hash already kept on the record (an earlier import) is
 * used as is. Returns hash → sample id, and the hashes newly computed, to keep on their records.
 */
export async function storedVideoHashes(
  incoming: ReadonlyMap<string, number>,
): Promise<{ owners: Map<string, string>; computed: Map<string, string> }> {
  const sizes = new Set(incoming.values())
  const [videos, samples] = await db.transaction('r', db.videos, db.samples, () => Promise.all([db.videos.toArray(), db.samples.toArray()]))
  const present = new Set(samples.filter(live).map((s) => s.id))
  const owners = new Map<string, string>()
  const computed = new Map<string, string>()
  for (const v of videos) {
    if (!present.has(v.sampleId) || !sizes.has(v.blob.size)) continue
    let hash = v.sha256
    if (!hash) {
      hash = await sha256Hex(v.blob)
      computed.set(v.sampleId, hash)
    }
    if (incoming.has(hash) && !owners.has(hash)) owners.set(hash, v.sampleId)
  }
  return { owners, computed }
}

/** One sample of an import, with its video's bytes (and poster) already checked against their hash. */
export interface IncomingSample {
  record: SampleRecord
  video: { blob: Blob; sha256: string; poster?: Blob | undefined }
}

export interface IncomingArchive {
  samples: IncomingSample[]
  tasks: TaskRecord[]
  experiments: ExperimentRecord[]
  frames: FrameRecord[]
  /** Stored videos' hashes found before the write (storedVideoHashes): hash → sample id, and hashes to keep. */
  known: { owners: ReadonlyMap<string, string>; computed: ReadonlyMap<string, string> }
}

export interface ImportCounts {
  samples: { added: number; present: number }
  experiments: { added: number; present: number }
  tasks: number
  frames: number
}

/**
 * The import's only write: every table it touches in ONE transaction, so a failure (a full disk, a closed tab) leaves
 * nothing half-written. Records merge by id, frames by their hash; a sample whose video's SHA-256 equals a video
 * already stored is the same sample, and is not added again. A sample deleted here (still undoable) comes back from
 * the archive. What the studio already holds is never overwritten, with one gain: a sample here whose copy was never
 * kept gets the archive's. Imported tasks stay out of the task strip (an import is not work in progress).
 */
export async function writeImport(archive: IncomingArchive): Promise<ImportCounts> {
  const counts: ImportCounts = { samples: { added: 0, present: 0 }, experiments: { added: 0, present: 0 }, tasks: 0, frames: 0 }
  await db.transaction('rw', [db.frames, db.tasks, db.samples, db.videos, db.experiments], async () => {
    for (const frame of archive.frames) {
      if (await db.frames.get(frame.hash)) continue
      await db.frames.add(frame)
      counts.frames += 1
    }
    for (const task of archive.tasks) {
      if (await db.tasks.get(task.id)) continue
      await db.tasks.add({ ...task, dismissed: true })
      counts.tasks += 1
    }
    for (const e of archive.experiments) {
      const here = await db.experiments.get(e.id)
      if (here && live(here)) {
        counts.experiments.present += 1
        continue
      }
      await db.experiments.put(e)
      counts.experiments.added += 1
    }
    for (const { record, video } of archive.samples) {
      const here = await db.samples.get(record.id)
      const owner = archive.known.owners.get(video.sha256)
      const keep = { sampleId: record.id, blob: video.blob, poster: video.poster, sha256: video.sha256 }
      if (here && live(here)) {
        if (!here.stored && !(await db.videos.get(record.id))) {
          await db.videos.put(keep)
          await db.samples.update(record.id, { stored: true, storeError: undefined })
        }
        counts.samples.present += 1
      } else if (owner !== undefined && owner !== record.id) {
        counts.samples.present += 1
      } else {
        await db.samples.put(record)
        await db.videos.put(keep)
        counts.samples.added += 1
      }
    }
    // Hashes computed to compare are kept, so the next import need not read those videos again.
    for (const [sampleId, sha256] of archive.known.computed) await db.videos.update(sampleId, { sha256 })
  })
  return counts
}

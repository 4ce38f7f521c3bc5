import Dexie, { type EntityTable } from 'dexie'
import type { ErrorWords } from '../api/errors'
import type { ProviderId } from '../api/gateway-urls'
import type { TaskStatus } from '../api/schemas'
import type { FrameSlot, ParamKey, ParamValue } from '../models/types'
import type { FrameMime } from '../lib/image'
import type { Rect } from '../lib/crop'

/** A frame the designer brought in, kept once by the SHA-256 of its bytes. */
export interface FrameRecord {
  hash: string
  blob: Blob
  mime: FrameMime
  width: number
  height: number
  bytes: number
  name: string
  addedAt: number
  /** A small JPEG for previews; absent where the browser could not make one. */
  thumb?: Blob | undefined
}

/** A frame as the gateway's library describes it: its bytes are at /api/library/files/<hash>. */
export type FrameRecordMeta = Omit<FrameRecord, 'blob' | 'thumb'> & { thumbSha256?: string | undefined }

/** A frame as a request refers to it: stored bytes, or a URL the provider fetches. */
export type FrameRef =
  | {
      kind: 'stored'
      hash: string
      mime: FrameMime
      width: number
      height: number
      bytes: number
      name: string
      /** The part to keep, in fractions of the frame, when the designer moved the crop; absent: centred. */
      crop?: Rect | undefined
    }
  | { kind: 'url'; url: string; width?: number | undefined; height?: number | undefined }

/** Everything needed to send a request again, exactly: the model, the parameters and the frames. */
export interface StoredRequest {
  modelId: string
  params: Partial<Record<ParamKey, ParamValue>>
  frames: Partial<Record<FrameSlot, FrameRef>>
}

export interface TaskRecord {
  /** `${provider}:${taskId}`: task ids are only unique per provider. */
  id: string
  provider: ProviderId
  taskId: string
  request: StoredRequest
  createdAt: number
  /** The last status seen; final ones are written once and never polled again. */
  status: TaskStatus
  reason: string
  finishedAt?: number | undefined
  seed?: string | undefined
  videoCount?: number | undefined
  /** Set when the task was re-sent with Retry: the id of the new task. */
  retriedAs?: string | undefined
  /** Hidden from the task strip; its samples stay in the gallery. */
  dismissed?: boolean | undefined
  /** When the request left the studio (the submit queue's rate window counts these). */
  sentAt?: number | undefined
  /** The experiment this task belongs to, and its cell on the board. */
  experimentId?: string | undefined
  cell?: CellRef | undefined
  /**
   * Polling gave up on it (too many 5xx or timeouts in a row): it needs attention, with the last failure's words, and
   * is not polled again until Retry. Kept here so a reload picks up the fault where it was.
   */
  stalled?: { message: string; details?: string | undefined; at: number } | undefined
  /** The provider no longer knows it (TASK_NOT_FOUND): final, never polled again; `reason` says why. */
  lost?: true | undefined
  /** What the gateway's last poll saw: the provider's ETA and progress. */
  etaSeconds?: number | undefined
  progressPercent?: number | undefined
  /** Polls that failed in a row (5xx, no answer) while the gateway still checks it: it backs off and tries again. */
  pollFailures?: number | undefined
}

/** A cell of an experiment's board: its row (prompt variant) and column (seed, or varied value × seed). */
export interface CellRef {
  row: number
  col: number
}

/** What a sweep varies besides prompt and seed; `modelId` is the model itself. */
export type VaryKey = 'duration_seconds' | 'resolution' | 'aspect_ratio' | 'modelId'

/** A column of a board: its seed, and the varied parameter's value when the sweep varies one. */
export interface ExperimentColumn {
  seed: number
  varied?: { key: VaryKey; value: string | number } | undefined
}

/** What the designer decided about one cell. */
export interface CellMarks {
  winner?: boolean | undefined
  note?: string | undefined
}

/** A sweep, kept with its board's layout, winners and notes. Its tasks point back at it (TaskRecord.experimentId). */
export interface ExperimentRecord {
  id: string
  name: string
  createdAt: number
  /** The compose request at Run sweep: every cell starts from it. */
  base: StoredRequest
  /** Row headers: the prompt variants, in order. */
  rows: string[]
  columns: ExperimentColumn[]
  /** Winners and notes, by `${row}:${col}`. */
  marks: Record<string, CellMarks>
  /** Deleted at this moment, still undoable: hidden from every read, purged with its tasks and samples after. */
  deletedAt?: number | undefined
}

/**
 * A request waiting to be sent (or being sent) by the submit queue. Its id is also the Idempotency-Key the gateway
 * sees, so a send cut short by a reload and made again gives the same task, never a second one.
 */
export interface QueueItem {
  id: string
  createdAt: number
  provider: ProviderId
  request: StoredRequest
  /** The task this one retries. */
  retryOf?: string | undefined
  experimentId?: string | undefined
  cell?: CellRef | undefined
  /**
   * queued: waiting its turn; sending: a request is out (or was, when a restart cut it); sent: it became its task
   * (taskRecordId); failed: kept with its reason; cancelled: taken back before it went out.
   */
  state: 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled'
  /** A single Generate or Retry goes ahead of a sweep's waiting requests. */
  priority?: 'single' | 'sweep' | undefined
  /** The task it became, once the gateway sent it. */
  taskRecordId?: string | undefined
  /** The first time it was sent: counts in the rate window from then on. */
  sentAt?: number | undefined
  /** Not before this moment (a 429 asked the queue to wait). */
  notBefore?: number | undefined
  attempts: number
  /** Its words, as describeError gave them (with `fix`, where the way out is a place in the studio). */
  error?: (Omit<ErrorWords, 'details'> & { details?: string | undefined; status?: number | undefined }) | undefined
  /**
   * Cancel sweep came while its request was out: it is never sent again (a refusal or a 429 drops it), but a success
   * still becomes its task, since the provider has the work.
   */
  cancelled?: boolean | undefined
  /**
   * A sweep item's sends that failed for a passing reason (network, timeout, 5xx): it waits and goes again, and fails
   * for good after a few. `lookup`: the last one may have reached the gateway (a timeout, a dropped connection).
   */
  trouble?: { failures: number; lookup: boolean } | undefined
}

/** A prompt that was sent: searchable from the Prompt field. */
export interface PromptRecord {
  text: string
  lastUsedAt: number
  uses: number
}

export interface SampleRecord {
  /** `${task record id}#${index}` */
  id: string
  taskRecordId: string
  /** Where the video came from, which decides how the browser may fetch it. */
  provider: ProviderId
  index: number
  request: StoredRequest
  seed: string | undefined
  createdAt: number
  videoUrl: string
  /** ms since epoch; after this the provider's URL is gone and only the stored copy plays. */
  urlExpiresAt: number
  /** The video's bytes are in `videos`. */
  stored: boolean
  /** Why the copy failed, if it did: shown on the card, retried while the URL lives. */
  storeError?: string | undefined
  /**
   * When its stored copy was dropped to free space (Settings › Storage): it plays from the provider's URL and is copied
   * back from half-way through that URL's life (or at once with Keep on device). Cleared once kept again.
   */
  offloadedAt?: number | undefined
  favourite: 0 | 1
  /** Where the gateway keeps the video and its poster (played from /api/library/files/<sha256>). */
  videoSha256?: string | undefined
  posterSha256?: string | undefined
  /** Deleted at this moment, still undoable: hidden from every read, purged once the undo window has passed. */
  deletedAt?: number | undefined
}

export interface VideoRecord {
  sampleId: string
  blob: Blob
  /** A still from the middle of the video, for the gallery card at rest. */
  poster?: Blob | undefined
  /** SHA-256 of `blob`, hex, where known (set by an import): not indexed, so no schema version for it. */
  sha256?: string | undefined
}

export const db = new Dexie('veo-studio') as Dexie & {
  frames: EntityTable<FrameRecord, 'hash'>
  tasks: EntityTable<TaskRecord, 'id'>
  samples: EntityTable<SampleRecord, 'id'>
  videos: EntityTable<VideoRecord, 'sampleId'>
  experiments: EntityTable<ExperimentRecord, 'id'>
  queue: EntityTable<QueueItem, 'id'>
  prompts: EntityTable<PromptRecord, 'text'>
}

db.version(1).stores({
  frames: 'hash',
  tasks: 'id, createdAt, status',
  samples: 'id, taskRecordId, createdAt, favourite',
  videos: 'sampleId',
})

/*
 * Version 2: samples name their provider, and only the indexes a query uses remain (both lists sort by
 * createdAt; every other read is a primary-key get or a filter).
 */
db.version(2)
  .stores({
    tasks: 'id, createdAt',
    samples: 'id, createdAt',
  })
  .upgrade(async (tx) => {
    const providerOfTask = new Map((await tx.table<TaskRecord>('tasks').toArray()).map((t) => [t.id, t.provider]))
    await tx
      .table<SampleRecord>('samples')
      .toCollection()
      .modify((sample) => {
        // Tasks are never deleted, so the task is there; the id's own prefix names the provider otherwise.
        sample.provider = providerOfTask.get(sample.taskRecordId) ?? (sample.taskRecordId.startsWith('jiekou:') ? 'jiekou' : 'local')
      })
  })

/*
 * Version 3: experiments and their boards, the persisted submit queue, and the prompt history. Tasks are found by
 * experiment for the board.
 */
db.version(3).stores({
  tasks: 'id, createdAt, experimentId',
  experiments: 'id, createdAt',
  queue: 'id, createdAt',
  prompts: 'text, lastUsedAt',
})

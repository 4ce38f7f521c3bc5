import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/*
 * The library's tables, as Kysely sees them (the SQL is in migrations.ts). Every row belongs to a workspace: one
 * ('local') for a single designer; team mode adds more, and one guard scopes every query by it. Times are timestamptz;
 * requests, results and board layouts are jsonb in the shapes the studio already uses (src/db/db.ts), checked by zod
 * at the API's edge before they are written.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>
type Json<T> = ColumnType<T, T, T>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>

export interface BlobsTable {
  sha256: string
  size: ColumnType<number, number, number>
  mime: string
  created_at: CreatedAt
}

export interface FramesTable {
  workspace_id: string
  hash: string
  mime: string
  width: number
  height: number
  bytes: number
  name: string
  thumb_sha256: string | null
  added_at: Timestamp
}

export interface TasksTable {
  workspace_id: string
  /** `${provider}:${taskId}`, as the studio names a task. */
  id: string
  provider: string
  task_id: string
  request: Json<unknown>
  created_at: Timestamp
  status: string
  reason: string
  finished_at: Timestamp | null
  seed: string | null
  video_count: number | null
  retried_as: string | null
  dismissed: Generated<boolean>
  sent_at: Timestamp | null
  experiment_id: string | null
  cell: Json<unknown> | null
  stalled: Json<unknown> | null
  lost: Generated<boolean>
  /** What the runner saw last: ETA and progress, for the studio's card, and when it polls next. */
  eta_seconds: number | null
  progress_percent: number | null
  polls: Generated<number>
  next_poll_at: Timestamp | null
  /** The provider's last task result, kept so an expired link can be renewed from it once. */
  result: Json<unknown> | null
  poll_samples: ColumnType<PollSampleJson[], PollSampleJson[] | undefined, PollSampleJson[]>
  poll_failures: Generated<number>
  archived_at: Timestamp | null
  updated_at: Generated<Date>
}

export interface SamplesTable {
  workspace_id: string
  /** `${task record id}#${index}` */
  id: string
  task_record_id: string
  provider: string
  idx: number
  request: Json<unknown>
  seed: string | null
  created_at: Timestamp
  video_url: string
  url_expires_at: Timestamp
  /** Set once the video is archived in the blob store. */
  video_sha256: string | null
  poster_sha256: string | null
  store_error: string | null
  favourite: Generated<boolean>
  deleted_at: Timestamp | null
}

export interface ExperimentsTable {
  workspace_id: string
  id: string
  name: string
  created_at: Timestamp
  base: Json<unknown>
  rows: Json<string[]>
  columns: Json<unknown[]>
  marks: Json<Record<string, unknown>>
  deleted_at: Timestamp | null
}

/** The submit queue: a request waiting to be sent, being sent, or settled. Its id is its idempotency key. */
export interface SubmitQueueTable {
  workspace_id: string
  id: string
  created_at: Timestamp
  provider: string
  request: Json<unknown>
  model_path: string
  body: Json<unknown>
  /** 0: a single Generate or Retry, 1: a sweep's request. Lower goes first. */
  priority: number
  retry_of: string | null
  experiment_id: string | null
  cell: Json<unknown> | null
  /** queued → sending → sent (task_record_id set) | failed | cancelled */
  state: string
  sent_at: Timestamp | null
  not_before: Timestamp | null
  attempts: Generated<number>
  error: Json<unknown> | null
  trouble: Json<unknown> | null
  /** The task this request became, once the provider answered. */
  task_record_id: string | null
  updated_at: Generated<Date>
}

export interface PromptsTable {
  workspace_id: string
  text: string
  last_used_at: Timestamp
  uses: number
}

export interface SettingsTable {
  workspace_id: string
  key: string
  value: Json<unknown>
}

/** The change feed, kept so a browser that reconnects with Last-Event-ID misses nothing. */
export interface EventsTable {
  /** bigserial; int8 is read as a number on both engines (db.ts). */
  id: Generated<number>
  workspace_id: string
  at: Generated<Date>
  topic: string
  ids: Json<string[]>
}

export interface PollSampleJson {
  at: number
  status: string
  progress?: number | undefined
  eta?: number | undefined
}

export interface RateWindowsTable {
  key: string
}

export interface RateGrantsTable {
  key: string
  at: Timestamp
}

export interface LibraryTables {
  blobs: BlobsTable
  frames: FramesTable
  tasks: TasksTable
  samples: SamplesTable
  experiments: ExperimentsTable
  submit_queue: SubmitQueueTable
  prompts: PromptsTable
  settings: SettingsTable
  events: EventsTable
  rate_windows: RateWindowsTable
  rate_grants: RateGrantsTable
}

export type SampleRow = Selectable<SamplesTable>
export type NewSample = Insertable<SamplesTable>
export type TaskRow = Selectable<TasksTable>
export type NewTask = Insertable<TasksTable>
export type TaskUpdate = Updateable<TasksTable>
export type FrameRow = Selectable<FramesTable>
export type ExperimentRow = Selectable<ExperimentsTable>
export type QueueRow = Selectable<SubmitQueueTable>

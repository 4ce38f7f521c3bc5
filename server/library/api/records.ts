import type { ExperimentRow, FrameRow, SampleRow, TaskRow } from '../db/schema.ts'

/*
 * Rows as the studio reads them: the record shapes of src/db/db.ts (camelCase, times in ms since the epoch, fields
 * left out where the record has none), plus where a file is kept: `stored`, `videoSha256` and `posterSha256`, served
 * at /api/library/files/<sha256>.
 */

const ms = (d: Date) => d.getTime()
/** A field that is there only when it has a value, as in the studio's records. */
const opt = <K extends string, V>(key: K, value: V | null | undefined): Partial<Record<K, V>> =>
  value === null || value === undefined ? {} : ({ [key]: value } as Record<K, V>)

export function sampleJson(r: SampleRow) {
  return {
    id: r.id,
    taskRecordId: r.task_record_id,
    provider: r.provider,
    index: r.idx,
    request: r.request,
    ...opt('seed', r.seed),
    createdAt: ms(r.created_at),
    videoUrl: r.video_url,
    urlExpiresAt: ms(r.url_expires_at),
    stored: r.video_sha256 !== null,
    ...opt('videoSha256', r.video_sha256),
    ...opt('posterSha256', r.poster_sha256),
    ...opt('storeError', r.store_error),
    favourite: r.favourite,
    ...opt('deletedAt', r.deleted_at && ms(r.deleted_at)),
  }
}

export function taskJson(r: TaskRow) {
  return {
    id: r.id,
    provider: r.provider,
    taskId: r.task_id,
    request: r.request,
    createdAt: ms(r.created_at),
    status: r.status,
    reason: r.reason,
    ...opt('finishedAt', r.finished_at && ms(r.finished_at)),
    ...opt('seed', r.seed),
    ...opt('videoCount', r.video_count),
    ...opt('retriedAs', r.retried_as),
    dismissed: r.dismissed,
    ...opt('sentAt', r.sent_at && ms(r.sent_at)),
    ...opt('experimentId', r.experiment_id),
    ...opt('cell', r.cell),
    ...opt('stalled', r.stalled),
    ...(r.lost ? { lost: true as const } : {}),
    ...opt('etaSeconds', r.eta_seconds),
    ...opt('progressPercent', r.progress_percent),
    // Polls failed in a row (5xx, no answer) while the runner still checks it: the card says it is still checking. Left
    // out once it is final, lost or stalled, which say more; so an export (finished tasks only) never carries it.
    ...(r.poll_failures > 0 && !r.finished_at && !r.lost && !r.stalled ? { pollFailures: r.poll_failures } : {}),
  }
}

export function experimentJson(r: ExperimentRow) {
  return {
    id: r.id,
    name: r.name,
    createdAt: ms(r.created_at),
    base: r.base,
    rows: r.rows,
    columns: r.columns,
    marks: r.marks,
    ...opt('deletedAt', r.deleted_at && ms(r.deleted_at)),
  }
}

export function frameJson(r: FrameRow) {
  return {
    hash: r.hash,
    mime: r.mime,
    width: r.width,
    height: r.height,
    bytes: r.bytes,
    name: r.name,
    addedAt: ms(r.added_at),
    ...opt('thumbSha256', r.thumb_sha256),
  }
}

export const promptJson = (r: { text: string; last_used_at: Date; uses: number }) => ({
  text: r.text,
  lastUsedAt: ms(r.last_used_at),
  uses: r.uses,
})

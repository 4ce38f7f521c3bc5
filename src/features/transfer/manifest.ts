import * as z from 'zod/mini'
import { KNOWN_STATUSES } from '../../api/schemas'
import { refused, notAnExport } from './problems'

/*
 * manifest.json, the index of an export: the records (samples, tasks, experiments, frames) and, for each file in the
 * zip, its path, size and SHA-256. Versioned: a later studio reads an older manifest through MIGRATIONS (one step per
 * version), and this one refuses a newer one rather than guess.
 */

export const EXPORT_FORMAT = 'veo-studio-export'
export const MANIFEST_VERSION = 1

/** Version n → n + 1, for each older version this studio still reads. Version 1 is the first: none yet. */
const MIGRATIONS: Record<number, (manifest: Record<string, unknown>) => Record<string, unknown>> = {}

// Lengths and patterns as refinements: zod's own maxLength and regex checks would join the first paint (zod lives in
// its chunk, and the first paint uses neither), refine is there already.
const matching = (pattern: RegExp) => z.refine<string>((s) => pattern.test(s), { message: `must match ${pattern}` })
const text = (max: number) => z.string().check(z.refine((s) => s.length <= max, { message: `at most ${max} characters` }))
const sha = z.string().check(matching(/^[0-9a-f]{64}$/))
const id = text(512)
const count = z.number().check(z.int(), z.nonnegative())
/** ms since the epoch. */
const time = z.number().check(z.nonnegative())
const provider = z.enum(['local', 'jiekou'])
const list = <T extends z.ZodMiniType>(item: T, max = 100_000) =>
  z.array(item).check(z.refine((items) => items.length <= max, { message: `at most ${max} items` }))

/** What a stored frame is, as a request refers to it and as the archive lists it. */
const frameFacts = {
  hash: sha,
  mime: z.enum(['image/png', 'image/jpeg']),
  width: count,
  height: count,
  bytes: count,
  name: text(1024),
}

// Plain unions and objects: the zod parts the first paint already carries (zod lives in its chunk), so this adds none.
const frameRef = z.union([
  z.object({
    kind: z.literal('stored'),
    ...frameFacts,
    crop: z.optional(z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() })),
  }),
  z.object({
    kind: z.literal('url'),
    url: text(8192).check(matching(/^https?:\/\//i)),
    width: z.optional(count),
    height: z.optional(count),
  }),
])

const request = z.object({
  modelId: text(200),
  params: z.record(text(64).check(matching(/^[a-z_]+$/)), z.optional(z.union([text(100_000), z.number(), z.boolean()]))),
  frames: z.object({ first: z.optional(frameRef), last: z.optional(frameRef) }),
})

const cell = z.object({ row: count, col: count })

const task = z
  .object({
    id,
    provider,
    taskId: id,
    request,
    createdAt: time,
    status: z.enum([...KNOWN_STATUSES, 'TASK_STATUS_UNKNOWN']),
    reason: text(100_000),
    /** Required: Export writes finished tasks only, and an unfinished one would be polled here, on a gateway that never knew it. */
    finishedAt: time,
    seed: z.optional(text(64)),
    videoCount: z.optional(count),
    retriedAs: z.optional(id),
    dismissed: z.optional(z.boolean()),
    sentAt: z.optional(time),
    experimentId: z.optional(id),
    cell: z.optional(cell),
  })
  .check(z.refine((t) => t.id === `${t.provider}:${t.taskId}`, { message: 'a task id is its provider and task id' }))

const sample = z
  .object({
    id,
    taskRecordId: id,
    provider,
    index: count,
    request,
    seed: z.optional(text(64)),
    createdAt: time,
    videoUrl: text(65_536),
    urlExpiresAt: time,
    favourite: z.union([z.literal(0), z.literal(1)]),
    /** The SHA-256 of its video: an entry of `videos`. */
    video: sha,
  })
  .check(z.refine((s) => s.id === `${s.taskRecordId}#${s.index}`, { message: 'a sample id is its task id and index' }))

const experiment = z.object({
  id,
  name: text(1000),
  createdAt: time,
  base: request,
  rows: list(text(100_000), 10_000),
  columns: list(
    z.object({
      seed: z.number().check(z.int()),
      varied: z.optional(
        z.object({ key: z.enum(['duration_seconds', 'resolution', 'aspect_ratio', 'modelId']), value: z.union([text(200), z.number()]) }),
      ),
    }),
    10_000,
  ),
  marks: z.record(text(32).check(matching(/^\d+:\d+$/)), z.object({ winner: z.optional(z.boolean()), note: z.optional(text(100_000)) })),
})

const frame = z
  .object({
    ...frameFacts,
    addedAt: time,
    path: z.string(),
  })
  .check(z.refine((f) => f.path === framePath(f.hash, f.mime), { message: 'a frame is kept at frames/<its hash>.<png|jpg>' }))

const video = z
  .object({
    sha256: sha,
    bytes: count,
    type: z.enum(['video/mp4', 'video/webm']),
    path: z.string(),
    poster: z.optional(
      z.object({ path: z.string(), bytes: count, sha256: sha }).check(z.refine((p) => /^posters\/[0-9a-f]{64}\.jpg$/.test(p.path))),
    ),
  })
  .check(
    z.refine((v) => v.path === videoPath(v.sha256, v.type), { message: 'a video is kept at videos/<its hash>.<mp4|webm>' }),
    z.refine((v) => v.poster === undefined || v.poster.path === posterPath(v.sha256), {
      message: 'a poster is kept at posters/<video hash>.jpg',
    }),
  )

export const manifestSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(MANIFEST_VERSION),
  exportedAt: text(64),
  app: z.object({ name: text(100), version: text(50) }),
  /** What was exported: the whole gallery, a selection, or one experiment. */
  scope: z.enum(['gallery', 'selection', 'experiment']),
  samples: list(sample),
  tasks: list(task),
  experiments: list(experiment, 10_000),
  frames: list(frame),
  videos: list(video),
})

export type Manifest = z.infer<typeof manifestSchema>
export type ManifestSample = Manifest['samples'][number]
export type ManifestVideo = Manifest['videos'][number]
export type ManifestFrame = Manifest['frames'][number]

export const videoPath = (sha256: string, type: 'video/mp4' | 'video/webm') => `videos/${sha256}.${type === 'video/webm' ? 'webm' : 'mp4'}`
export const posterPath = (videoSha256: string) => `posters/${videoSha256}.jpg`
export const framePath = (hash: string, mime: 'image/png' | 'image/jpeg') => `frames/${hash}.${mime === 'image/png' ? 'png' : 'jpg'}`

const issues = (error: z.core.$ZodError) =>
  error.issues
    .slice(0, 8)
    .map((i) => `${i.path.join('.') || '(manifest)'}: ${i.message}`)
    .join('\n')

/**
 * Reads manifest.json's parsed JSON: refused when it is not ours, newer than this studio, or damaged; an older
 * version is migrated first. Also checks what the schema alone cannot: every sample's video is listed, no path twice.
 */
export function parseManifest(json: unknown): Manifest {
  if (typeof json !== 'object' || json === null || Array.isArray(json) || (json as { format?: unknown }).format !== EXPORT_FORMAT)
    throw notAnExport(
      'its manifest.json is not a Veo Studio manifest',
      `format: ${JSON.stringify((json as { format?: unknown } | null)?.format)}`,
    )
  let manifest = json as Record<string, unknown>
  const version = manifest.version
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw refused(`its manifest has no version this studio knows (${JSON.stringify(version)})`)
  if (version > MANIFEST_VERSION)
    throw refused(
      `it was made by a newer Veo Studio (version ${version}); update the studio`,
      `manifest version ${version}, this studio reads up to ${MANIFEST_VERSION}`,
    )
  for (let v = version; v < MANIFEST_VERSION; v++) {
    const step = MIGRATIONS[v]
    if (!step) throw refused(`its manifest version (${version}) is too old for this studio`)
    manifest = step(manifest)
  }
  const parsed = manifestSchema.safeParse(manifest)
  if (!parsed.success) throw refused('its manifest.json is damaged', issues(parsed.error))
  const m = parsed.data
  const videos = new Set(m.videos.map((v) => v.sha256))
  const missing = m.samples.find((s) => !videos.has(s.video))
  if (missing) throw refused('its manifest names a video it does not list', `sample ${missing.id}: video ${missing.video}`)
  const paths = [...m.videos.flatMap((v) => [v.path, ...(v.poster ? [v.poster.path] : [])]), ...m.frames.map((f) => f.path)]
  const seen = new Set<string>()
  const twice = paths.find((p) => seen.size === seen.add(p).size)
  if (twice) throw refused('its manifest lists a file twice', twice)
  return m
}

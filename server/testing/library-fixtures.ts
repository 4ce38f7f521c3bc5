// Fixtures for the library API's tests: a real gateway serving a library of its own (on either engine), a client that
// speaks to it over HTTP as the studio does, and small helpers that seed rows straight through Kysely.
import { jsonb, type LibraryKysely } from '../library/db/db.ts'
import type { Library } from '../library/library.ts'
import { closeAll, startTestGateway } from './gateway-harness.ts'
import { openTestLibrary, type Engine } from './library-harness.ts'

export interface LibraryApi {
  url: string
  library: Library
  db: LibraryKysely
  /** A request to /api/library<path>; the answer with its JSON body read (undefined when it is not JSON). */
  call(
    method: string,
    path: string,
    init?: { body?: BodyInit | Uint8Array; json?: unknown; headers?: Record<string, string> },
  ): Promise<Answer>
}

export interface Answer {
  status: number
  headers: Headers
  body: any // oxlint-disable-line typescript/no-explicit-any -- tests read what they assert on
  bytes: Buffer
}

const disposals: (() => Promise<void>)[] = []

/** Closes every gateway started, then disposes of the libraries (an afterEach). */
export async function closeLibraryApis(): Promise<void> {
  await closeAll()
  for (const d of disposals.splice(0)) await d()
}

export async function startLibraryApi(
  engine: Engine,
  options: { runner?: boolean; env?: Record<string, string> } = {},
): Promise<LibraryApi> {
  const test = await openTestLibrary(engine)
  disposals.push(test.dispose)
  // The API's own tests send nothing: no runner unless asked for.
  const gateway = await startTestGateway(options.env ?? {}, { library: test.library, runner: options.runner ?? false })
  return {
    url: gateway.url,
    library: test.library,
    db: test.library.store.db,
    call: async (method, path, init = {}) => {
      const headers: Record<string, string> = { ...init.headers }
      if (init.json !== undefined) headers['Content-Type'] ??= 'application/json'
      const res = await fetch(`${gateway.url}/api/library${path}`, {
        method,
        headers,
        body: init.json !== undefined ? JSON.stringify(init.json) : (init.body as BodyInit | undefined),
      })
      const bytes = Buffer.from(await res.arrayBuffer())
      let body: unknown
      try {
        body = res.headers.get('content-type')?.includes('json') ? JSON.parse(bytes.toString('utf8')) : undefined
      } catch {
        body = undefined
      }
      return { status: res.status, headers: res.headers, body, bytes }
    },
  }
}

const FINAL_STATUSES = ['TASK_STATUS_SUCCEED', 'TASK_STATUS_FAILED']

export const MODEL = 'veo-3.1-generate-firstlastframe'

export interface TaskSeed {
  id: string
  provider?: 'local' | 'jiekou'
  createdAt?: Date
  prompt?: string
  modelId?: string
  seed?: string
  experimentId?: string
  cell?: { row: number; col: number }
  dismissed?: boolean
  status?: string
}

const requestOf = (s: { prompt?: string | undefined; modelId?: string | undefined; seed?: string | undefined }) => ({
  modelId: s.modelId ?? MODEL,
  params: { prompt: s.prompt ?? 'a lighthouse at dusk', ...(s.seed ? { seed: Number(s.seed) } : {}) },
  frames: {},
})

export async function seedTask(db: LibraryKysely, t: TaskSeed): Promise<void> {
  const provider = t.provider ?? 'local'
  await db
    .insertInto('tasks')
    .values({
      workspace_id: 'local',
      id: `${provider}:${t.id}`,
      provider,
      task_id: t.id,
      request: jsonb(requestOf(t)),
      created_at: t.createdAt ?? new Date(),
      status: t.status ?? 'TASK_STATUS_SUCCEED',
      reason: '',
      // A final task is finished, so the gateway's runner never polls a seeded one.
      finished_at: FINAL_STATUSES.includes(t.status ?? 'TASK_STATUS_SUCCEED') ? (t.createdAt ?? new Date()) : null,
      seed: t.seed ?? null,
      experiment_id: t.experimentId ?? null,
      cell: t.cell ? jsonb(t.cell) : null,
      dismissed: t.dismissed ?? false,
    })
    .execute()
}

export interface SampleSeed extends TaskSeed {
  /** Samples the task made (1 when left out). */
  count?: number
  favourite?: boolean
  videoSha256?: string
  posterSha256?: string
  workspace?: string
}

/** A task and its samples (`${provider}:${id}#${index}`); returns the sample ids. */
export async function seedSamples(db: LibraryKysely, s: SampleSeed): Promise<string[]> {
  await seedTask(db, s)
  const provider = s.provider ?? 'local'
  const ids: string[] = []
  for (let idx = 0; idx < (s.count ?? 1); idx++) {
    const id = `${provider}:${s.id}#${idx}`
    ids.push(id)
    await db
      .insertInto('samples')
      .values({
        workspace_id: s.workspace ?? 'local',
        id,
        task_record_id: `${provider}:${s.id}`,
        provider,
        idx,
        request: jsonb(requestOf(s)),
        seed: s.seed ?? null,
        created_at: s.createdAt ?? new Date(),
        video_url: `https://cdn.example/${s.id}-${idx}.mp4`,
        url_expires_at: new Date(Date.now() + 3_600_000),
        video_sha256: s.videoSha256 ?? null,
        poster_sha256: s.posterSha256 ?? null,
        favourite: s.favourite ?? false,
      })
      .execute()
  }
  return ids
}

/** Bytes kept in the blob store and listed in `blobs`, as the archiver keeps a video or poster; returns the sha256. */
export async function storeBlob(library: Library, bytes: Uint8Array, mime: string): Promise<string> {
  const { sha256, size } = await library.blobs.put(bytes)
  await library.store.db
    .insertInto('blobs')
    .values({ sha256, size, mime })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute()
  return sha256
}

export async function seedExperiment(
  db: LibraryKysely,
  e: { id: string; name?: string; createdAt?: Date; rows?: string[]; columns?: number; marks?: Record<string, unknown>; deleted?: boolean },
): Promise<void> {
  await db
    .insertInto('experiments')
    .values({
      workspace_id: 'local',
      id: e.id,
      name: e.name ?? `Sweep ${e.id}`,
      created_at: e.createdAt ?? new Date(),
      base: jsonb(requestOf({})),
      rows: jsonb(e.rows ?? ['a lighthouse at dusk', 'a lighthouse at dawn']),
      columns: jsonb(Array.from({ length: e.columns ?? 3 }, (_, i) => ({ seed: 100 + i }))),
      marks: jsonb(e.marks ?? {}),
      deleted_at: e.deleted ? new Date() : null,
    })
    .execute()
}

export async function seedPrompt(db: LibraryKysely, text: string, lastUsedAt: Date, uses = 1): Promise<void> {
  await db.insertInto('prompts').values({ workspace_id: 'local', text, last_used_at: lastUsedAt, uses }).execute()
}

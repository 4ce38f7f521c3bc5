import { http, HttpResponse, type JsonBodyType } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'
import type { SampleJson, TaskJson, QueueItemJson, FrameJson } from '../api/library-schemas'
import { sha256Hex } from '../lib/bytes'

/*
 * The gateway's library, in memory, for the studio's unit tests (msw answers the studio's fetches in jsdom). It keeps
 * the API's shapes (server/library/api/records.ts) and its few rules a component can see: deleted rows leave the
 * lists, a favourite is a boolean on the wire, pages end with nextCursor null. The real API is tested against the
 * real gateway (server/library/api/*.test.ts); this one only stands in for it.
 */

type Row = Record<string, unknown> & { id: string }
export type FakeSample = SampleJson
export type FakeTask = TaskJson
export interface FakeExperiment extends Row {
  name: string
  createdAt: number
  base: unknown
  rows: string[]
  columns: unknown[]
  marks: Record<string, unknown>
  deletedAt?: number
}

export interface FakeState {
  samples: Map<string, FakeSample>
  tasks: Map<string, FakeTask>
  experiments: Map<string, FakeExperiment>
  requests: Map<string, QueueItemJson & { body?: unknown; modelPath?: string }>
  prompts: Map<string, { text: string; lastUsedAt: number; uses: number }>
  frames: Map<string, FrameJson>
  files: Map<string, Blob>
  settings: { requestsPerMinute: number; providerKey: { held: boolean; source: 'server' | 'gateway' | null } }
  /** The key kept from Settings (PUT /settings/provider-key): never in any answer. */
  keptKey: string | undefined
  /** GET /storage's answer; `paused` while the archive waits for disk space. */
  storage: {
    dataDir: string
    engine: 'pglite' | 'postgres'
    database: { bytes: number }
    files: Record<'videos' | 'posters' | 'frames', { count: number; bytes: number }>
    disk: { freeBytes: number; totalBytes: number }
    paused?: { reason: string } | null
  }
  /** Every call the studio made: method and path (with its query). */
  calls: { method: string; path: string; body?: unknown }[]
}

const fresh = (): FakeState => ({
  samples: new Map(),
  tasks: new Map(),
  experiments: new Map(),
  requests: new Map(),
  prompts: new Map(),
  frames: new Map(),
  files: new Map(),
  settings: { requestsPerMinute: 10, providerKey: { held: false, source: null } },
  keptKey: undefined,
  storage: {
    dataDir: '/home/designer/.local/share/veo-studio',
    engine: 'pglite',
    database: { bytes: 30_000_000 },
    files: { videos: { count: 0, bytes: 0 }, posters: { count: 0, bytes: 0 }, frames: { count: 0, bytes: 0 } },
    disk: { freeBytes: 200e9, totalBytes: 500e9 },
  },
  calls: [],
})

export const fakeLibrary: FakeState & { reset(): void } = Object.assign(fresh(), {
  reset() {
    Object.assign(fakeLibrary, fresh())
  },
})

const notFound = (what: string, id: string) =>
  HttpResponse.json({ code: 404, reason: 'NOT_FOUND', message: `No ${what} "${id}" in the library.`, metadata: {} }, { status: 404 })
const page = (items: unknown[]) => HttpResponse.json({ items, nextCursor: null } as JsonBodyType)
const live = <T extends { deletedAt?: number | undefined }>(m: Map<string, T>) => [...m.values()].filter((r) => r.deletedAt === undefined)
const hiddenByExperiment = (t: { experimentId?: string | undefined }) =>
  t.experimentId !== undefined && fakeLibrary.experiments.get(t.experimentId)?.deletedAt !== undefined
const visibleSamples = () =>
  live(fakeLibrary.samples)
    .filter((s) => !hiddenByExperiment(fakeLibrary.tasks.get(s.taskRecordId) ?? {}))
    .sort((a, b) => b.createdAt - a.createdAt || a.index - b.index)
const json = async (request: Request) => {
  const text = await request.text()
  return text ? (JSON.parse(text) as Record<string, unknown>) : {}
}

const L = '*/api/library'

export const libraryHandlers = [
  http.all(`${L}/*`, async ({ request }) => {
    const url = new URL(request.url)
    const body =
      request.method === 'GET' || request.headers.get('content-type') !== 'application/json' ? undefined : await request.clone().json()
    fakeLibrary.calls.push({ method: request.method, path: url.pathname.replace('/api/library', '') + url.search, body })
    return undefined
  }),
  // Samples
  http.get(`${L}/samples`, () => page(visibleSamples())),
  http.get(`${L}/samples/count`, () => HttpResponse.json({ count: visibleSamples().length })),
  http.get(`${L}/samples/:id`, ({ params }) => {
    const s = fakeLibrary.samples.get(String(params.id))
    return s ? HttpResponse.json(s as JsonBodyType) : notFound('sample', String(params.id))
  }),
  http.patch(`${L}/samples/:id`, async ({ params, request }) => {
    const s = fakeLibrary.samples.get(String(params.id))
    if (!s) return notFound('sample', String(params.id))
    s.favourite = Boolean((await json(request)).favourite)
    return HttpResponse.json(s as JsonBodyType)
  }),
  http.post(`${L}/samples/favourite`, async ({ request }) => {
    const b = await json(request)
    const items = (b.ids as string[]).flatMap((id) => {
      const s = fakeLibrary.samples.get(id)
      if (!s) return []
      s.favourite = Boolean(b.favourite)
      return [s]
    })
    return HttpResponse.json({ items } as JsonBodyType)
  }),
  http.post(`${L}/samples/delete`, async ({ request }) => {
    const at = Date.now()
    const ids = ((await json(request)).ids as string[]).filter((id) => {
      const s = fakeLibrary.samples.get(id)
      if (!s || s.deletedAt !== undefined) return false
      s.deletedAt = at
      return true
    })
    return HttpResponse.json({ ids, deletedAt: at })
  }),
  http.post(`${L}/samples/restore`, async ({ request }) => {
    const ids = ((await json(request)).ids as string[]).filter((id) => {
      const s = fakeLibrary.samples.get(id)
      if (!s || s.deletedAt === undefined) return false
      delete s.deletedAt
      return true
    })
    return HttpResponse.json({ ids })
  }),
  http.delete(`${L}/samples/:id`, ({ params }) => {
    const s = fakeLibrary.samples.get(String(params.id))
    if (!s) return notFound('sample', String(params.id))
    s.deletedAt ??= Date.now()
    return HttpResponse.json(s as JsonBodyType)
  }),
  http.post(`${L}/samples/:id/restore`, ({ params }) => {
    const s = fakeLibrary.samples.get(String(params.id))
    if (!s) return notFound('sample', String(params.id))
    delete s.deletedAt
    return HttpResponse.json(s as JsonBodyType)
  }),
  // Tasks
  http.get(`${L}/tasks`, () =>
    page([...fakeLibrary.tasks.values()].filter((t) => !hiddenByExperiment(t)).sort((a, b) => b.createdAt - a.createdAt)),
  ),
  http.get(`${L}/tasks/:id`, ({ params }) => {
    const t = fakeLibrary.tasks.get(String(params.id))
    return t ? HttpResponse.json(t as JsonBodyType) : notFound('task', String(params.id))
  }),
  http.post(`${L}/tasks/dismiss-finished`, () => {
    const done = [...fakeLibrary.tasks.values()].filter((t) => t.finishedAt !== undefined && !t.dismissed)
    for (const t of done) t.dismissed = true
    return HttpResponse.json({ count: done.length })
  }),
  http.post(`${L}/tasks/:id/:action`, ({ params }) => {
    const t = fakeLibrary.tasks.get(String(params.id))
    if (!t) return notFound('task', String(params.id))
    if (params.action === 'dismiss') t.dismissed = true
    else if (params.action === 'resume') delete t.stalled
    else return notFound('action', String(params.action))
    return HttpResponse.json(t as JsonBodyType)
  }),
  // Experiments (a board: the experiment, its tasks and their samples)
  http.get(`${L}/experiments`, () => page(live(fakeLibrary.experiments).sort((a, b) => b.createdAt - a.createdAt))),
  http.get(`${L}/experiments/:id`, ({ params }) => {
    const e = fakeLibrary.experiments.get(String(params.id))
    if (!e || e.deletedAt !== undefined) return notFound('experiment', String(params.id))
    const tasks = [...fakeLibrary.tasks.values()].filter((t) => t.experimentId === e.id)
    const ids = new Set(tasks.map((t) => t.id))
    const samples = live(fakeLibrary.samples).filter((s) => ids.has(s.taskRecordId))
    return HttpResponse.json({ experiment: e, tasks, samples } as JsonBodyType)
  }),
  http.post(`${L}/experiments`, async ({ request }) => {
    const b = await json(request)
    const e: FakeExperiment = {
      id: String(b.id),
      name: String(b.name),
      createdAt: typeof b.createdAt === 'number' ? b.createdAt : Date.now(),
      base: b.base,
      rows: b.rows as string[],
      columns: b.columns as unknown[],
      marks: {},
    }
    fakeLibrary.experiments.set(e.id, fakeLibrary.experiments.get(e.id) ?? e)
    return HttpResponse.json(fakeLibrary.experiments.get(e.id) as JsonBodyType)
  }),
  http.patch(`${L}/experiments/:id`, async ({ params, request }) => {
    const e = fakeLibrary.experiments.get(String(params.id))
    if (!e || e.deletedAt !== undefined) return notFound('experiment', String(params.id))
    const b = await json(request)
    if (typeof b.name === 'string') e.name = b.name.trim()
    // Each cell's marks merged over the stored ones, as the gateway does.
    for (const [cell, marks] of Object.entries((b.marks ?? {}) as Record<string, object>))
      e.marks[cell] = { ...(e.marks[cell] as object), ...marks }
    return HttpResponse.json(e as JsonBodyType)
  }),
  http.delete(`${L}/experiments/:id`, ({ params }) => {
    const e = fakeLibrary.experiments.get(String(params.id))
    if (!e || e.deletedAt !== undefined) return notFound('experiment', String(params.id))
    e.deletedAt = Date.now()
    const cancelled = [...fakeLibrary.requests.values()].filter(
      (r) => r.experimentId === e.id && ['queued', 'sending'].includes(r.state) && !r.taskRecordId,
    )
    for (const r of cancelled) r.state = 'cancelled'
    return HttpResponse.json({ id: e.id, deletedAt: e.deletedAt, cancelled: cancelled.map((r) => r.id) })
  }),
  http.post(`${L}/experiments/:id/restore`, ({ params }) => {
    const e = fakeLibrary.experiments.get(String(params.id))
    if (e?.deletedAt === undefined) return notFound('deleted experiment', String(params.id))
    delete e.deletedAt
    return HttpResponse.json(e as JsonBodyType)
  }),
  // The submit queue
  http.get(`${L}/requests`, () =>
    HttpResponse.json({
      // In the gateway's sending order: a single run ahead of a sweep, then oldest first.
      items: [...fakeLibrary.requests.values()]
        .filter((r) => ['queued', 'sending', 'failed'].includes(r.state))
        .sort((a, b) => Number(a.priority === 'sweep') - Number(b.priority === 'sweep') || a.createdAt - b.createdAt),
    } as JsonBodyType),
  ),
  http.post(`${L}/requests`, async ({ request }) => {
    const now = Date.now()
    const items = ((await json(request)).requests as Record<string, unknown>[]).map((r, i) => {
      const held = fakeLibrary.requests.get(String(r.id))
      if (held) return held
      const item = { ...r, createdAt: now + i, state: 'queued', attempts: 0 } as unknown as QueueItemJson
      fakeLibrary.requests.set(item.id, item)
      return item
    })
    return HttpResponse.json({ items } as JsonBodyType)
  }),
  http.get(`${L}/requests/:id`, ({ params }) => {
    const r = fakeLibrary.requests.get(String(params.id))
    return r ? HttpResponse.json(r as JsonBodyType) : notFound('request', String(params.id))
  }),
  http.post(`${L}/requests/cancel`, async ({ request }) => {
    const ids = ((await json(request)).ids as string[]).filter((id) => {
      const r = fakeLibrary.requests.get(id)
      if (!r || !['queued', 'sending'].includes(r.state) || r.taskRecordId) return false
      r.state = 'cancelled'
      return true
    })
    return HttpResponse.json({ ids })
  }),
  http.post(`${L}/requests/restore`, async ({ request }) => {
    const ids = ((await json(request)).ids as string[]).filter((id) => {
      const r = fakeLibrary.requests.get(id)
      if (r?.state !== 'cancelled') return false
      r.state = 'queued'
      return true
    })
    return HttpResponse.json({ ids })
  }),
  // Prompts
  http.get(`${L}/prompts`, ({ request }) => {
    const params = new URL(request.url).searchParams
    // Every word of the query appears in the prompt, case aside, as the gateway's search has it.
    const words = (params.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean)
    return page(
      [...fakeLibrary.prompts.values()]
        .filter((p) => words.every((w) => p.text.toLowerCase().includes(w)))
        .sort((a, b) => b.lastUsedAt - a.lastUsedAt)
        .slice(0, Number(params.get('limit') ?? 50)),
    )
  }),
  // Frames and files
  http.get(`${L}/frames/:hash`, ({ params }) => {
    const f = fakeLibrary.frames.get(String(params.hash))
    return f ? HttpResponse.json(f) : notFound('frame', String(params.hash))
  }),
  http.put(`${L}/frames/:hash`, async ({ params, request }) => {
    const hash = String(params.hash)
    const bytes = await request.blob()
    if ((await sha256Hex(bytes)) !== hash)
      return HttpResponse.json(
        { code: 400, reason: 'INVALID_REQUEST_BODY', message: "The frame's bytes do not match its SHA-256.", metadata: {} },
        { status: 400 },
      )
    const q = new URL(request.url).searchParams
    const known = fakeLibrary.frames.get(hash)
    const frame: FrameJson = known ?? {
      hash,
      mime: bytes.type,
      width: Number(q.get('width')),
      height: Number(q.get('height')),
      bytes: bytes.size,
      name: q.get('name') ?? 'frame',
      addedAt: Date.now(),
    }
    fakeLibrary.frames.set(hash, frame)
    fakeLibrary.files.set(hash, bytes)
    return HttpResponse.json(frame, { status: known ? 200 : 201 })
  }),
  http.get(`${L}/files/:sha`, async ({ params }) => {
    const blob = fakeLibrary.files.get(String(params.sha))
    // As bytes: jsdom's Blob (what a test makes) has no stream() for the response to read.
    return blob
      ? new HttpResponse(await blob.arrayBuffer(), { headers: { 'Content-Type': blob.type } })
      : notFound('file', String(params.sha))
  }),
  // Settings and storage
  http.get(`${L}/settings`, () => HttpResponse.json(fakeLibrary.settings)),
  http.patch(`${L}/settings`, async ({ request }) => {
    fakeLibrary.settings.requestsPerMinute = Number((await json(request)).requestsPerMinute)
    return HttpResponse.json({ requestsPerMinute: fakeLibrary.settings.requestsPerMinute })
  }),
  http.put(`${L}/settings/provider-key`, async ({ request }) => {
    const key = String((await json(request)).key ?? '').trim()
    if (!/^\S{8,512}$/.test(key))
      return HttpResponse.json(
        {
          code: 400,
          reason: 'INVALID_REQUEST_BODY',
          message: 'API key: paste the key from your jiekou.ai console (8 to 512 characters, no spaces).',
          metadata: { detail: 'send {"key": "<your key>"}' },
        },
        { status: 400 },
      )
    fakeLibrary.keptKey = key
    fakeLibrary.settings.providerKey = { held: true, source: 'gateway' }
    return HttpResponse.json({ providerKey: fakeLibrary.settings.providerKey })
  }),
  http.delete(`${L}/settings/provider-key`, () => {
    fakeLibrary.keptKey = undefined
    fakeLibrary.settings.providerKey = { held: false, source: null }
    return HttpResponse.json({ providerKey: fakeLibrary.settings.providerKey })
  }),
  http.get(`${L}/storage`, () => HttpResponse.json(fakeLibrary.storage as JsonBodyType)),
  // Files by hash, and records brought in (an import, the move of the browser's old library)
  http.put(`${L}/blobs/:sha`, async ({ params, request }) => {
    const sha = String(params.sha)
    const bytes = await request.blob()
    if ((await sha256Hex(bytes)) !== sha)
      return HttpResponse.json(
        { code: 400, reason: 'INVALID_REQUEST_BODY', message: "The file's bytes do not match its SHA-256.", metadata: {} },
        { status: 400 },
      )
    const known = fakeLibrary.files.has(sha)
    fakeLibrary.files.set(sha, bytes)
    return HttpResponse.json({ sha256: sha, size: bytes.size, mime: bytes.type }, { status: known ? 200 : 201 })
  }),
  http.post(`${L}/blobs/held`, async ({ request }) => {
    const asked = (await json(request)).sha256 as string[]
    return HttpResponse.json({ held: [...new Set(asked)].filter((sha) => fakeLibrary.files.has(sha)) })
  }),
  http.post(`${L}/import/held`, async ({ request }) => {
    const asked = (await json(request)) as Partial<Record<ImportKind, string[]>>
    return HttpResponse.json(
      Object.fromEntries(
        Object.entries(asked).map(([kind, keys]) => [kind, keys!.filter((k) => importTables()[kind as ImportKind].has(k))]),
      ),
    )
  }),
  http.post(`${L}/import`, async ({ request }) => {
    const body = (await json(request)) as Partial<Record<ImportKind, Record<string, unknown>[]>>
    const added: Partial<Record<ImportKind, string[]>> = {}
    const present: Partial<Record<ImportKind, string[]>> = {}
    for (const [kind, records] of Object.entries(body) as [ImportKind, Record<string, unknown>[]][]) {
      const table = importTables()[kind] as Map<string, unknown>
      for (const r of records) {
        const key = String(kind === 'prompts' ? r.text : kind === 'frames' ? r.hash : r.id)
        const into = table.has(key) ? present : added
        ;(into[kind] ??= []).push(key)
        if (!table.has(key)) table.set(key, r)
      }
    }
    return HttpResponse.json({ added, present } as JsonBodyType)
  }),
]

type ImportKind = 'tasks' | 'samples' | 'experiments' | 'prompts' | 'frames'
const importTables = (): Record<ImportKind, Map<string, unknown>> => ({
  tasks: fakeLibrary.tasks,
  samples: fakeLibrary.samples,
  experiments: fakeLibrary.experiments,
  prompts: fakeLibrary.prompts,
  frames: fakeLibrary.frames,
})

let active: ReturnType<typeof setupServer> | undefined

/**
 * Answers of this test's own, ahead of the library's (a refusal, a provider's link); gone after the test. A call one
 * of them answers is not recorded in `fakeLibrary.calls`.
 */
export function answerWith(...handlers: Parameters<ReturnType<typeof setupServer>['use']>): void {
  if (!active) throw new Error('answerWith needs withFakeLibrary() in the test file.')
  active.use(...handlers)
}

/** Answers the studio's library calls from `fakeLibrary` in this test file, fresh for each test. */
export function withFakeLibrary(): typeof fakeLibrary {
  const server = setupServer(...libraryHandlers)
  active = server
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    server.resetHandlers()
    fakeLibrary.reset()
  })
  afterAll(() => server.close())
  return fakeLibrary
}

/** A sample as the gateway sends it, with what a test leaves out filled in. */
export function fakeSample(over: Partial<FakeSample> & { id?: string } = {}): FakeSample {
  const id = over.id ?? `local:t${fakeLibrary.samples.size + 1}#0`
  const [taskRecordId = 'local:t1', index = '0'] = id.split('#')
  return {
    id,
    taskRecordId,
    provider: 'local',
    index: Number(index),
    request: { modelId: 'veo-3.0-generate-preview-img2video', params: {}, frames: {} },
    createdAt: Date.now(),
    videoUrl: `http://127.0.0.1/videos/${encodeURIComponent(id)}.mp4`,
    urlExpiresAt: Date.now() + 3_600_000,
    stored: false,
    favourite: false,
    ...over,
  }
}

/** Puts samples (and tasks) in the fake library. */
export function seedSamples(...samples: FakeSample[]): void {
  for (const s of samples) fakeLibrary.samples.set(s.id, s)
}
export function seedTasks(...tasks: FakeTask[]): void {
  for (const t of tasks) fakeLibrary.tasks.set(t.id, t)
}

import { http, HttpResponse, type JsonBodyType } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'
import type { SampleJson, TaskJson, QueueItemJson, FrameJson } from '../api/library-schemas'

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
  // The submit queue
  http.get(`${L}/requests`, () =>
    HttpResponse.json({
      items: [...fakeLibrary.requests.values()].filter((r) => ['queued', 'sending', 'failed'].includes(r.state)),
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
    const q = (new URL(request.url).searchParams.get('q') ?? '').toLowerCase()
    return page(
      [...fakeLibrary.prompts.values()].filter((p) => p.text.toLowerCase().includes(q)).sort((a, b) => b.lastUsedAt - a.lastUsedAt),
    )
  }),
  // Frames and files
  http.get(`${L}/frames/:hash`, ({ params }) => {
    const f = fakeLibrary.frames.get(String(params.hash))
    return f ? HttpResponse.json(f) : notFound('frame', String(params.hash))
  }),
  http.get(`${L}/files/:sha`, ({ params }) => {
    const blob = fakeLibrary.files.get(String(params.sha))
    return blob ? new HttpResponse(blob, { headers: { 'Content-Type': blob.type } }) : notFound('file', String(params.sha))
  }),
  // Settings and storage
  http.get(`${L}/settings`, () => HttpResponse.json(fakeLibrary.settings)),
  http.patch(`${L}/settings`, async ({ request }) => {
    fakeLibrary.settings.requestsPerMinute = Number((await json(request)).requestsPerMinute)
    return HttpResponse.json({ requestsPerMinute: fakeLibrary.settings.requestsPerMinute })
  }),
  http.get(`${L}/storage`, () =>
    HttpResponse.json({
      dataDir: '/home/designer/.local/share/veo-studio',
      engine: 'pglite',
      database: { bytes: 30_000_000 },
      files: {
        videos: { count: 0, bytes: 0 },
        posters: { count: 0, bytes: 0 },
        frames: { count: 0, bytes: 0 },
      },
      disk: { freeBytes: 200e9, totalBytes: 500e9 },
    }),
  ),
]

/** Answers the studio's library calls from `fakeLibrary` in this test file, fresh for each test. */
export function useFakeLibrary(): typeof fakeLibrary {
  const server = setupServer(...libraryHandlers)
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

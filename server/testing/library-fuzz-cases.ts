// The cases of the library API's fuzz (server/library/api/library-fuzz.test.ts): fast-check arbitraries for every
// route and method of /api/library (and some that do not exist), with real ids, others' and unknown ones, ids that try
// to leave the data folder, hostile query strings, bodies, frame and file uploads, imports and Range headers (the
// writes the browser sends are in library-fuzz-writes.ts); and hostile submits to the local engine, where a connection
// closed under a request was first seen.
import { createHash } from 'node:crypto'
import * as fc from 'fast-check'
import { MAX_FRAME_BYTES } from '../../src/lib/image-type.ts'
import { MAX_BODY_BYTES } from '../limits.ts'
import { big, encode, id, idText, jsonBody, query, utf8 } from './library-fuzz-values.ts'
import { LIB, oneIn, withBody, type FuzzRequest, type Seeded } from './library-fuzz-requests.ts'
import { writeRequests } from './library-fuzz-writes.ts'

export type { FuzzRequest, Seeded } from './library-fuzz-requests.ts'

const sizeOf = (r: FuzzRequest) =>
  r.body === undefined ? 0 : 'chunks' in r.body ? r.body.chunks.reduce((n, c) => n + c.length, 0) : r.body.length

/** One line for a failure message (and for fast-check's counterexample: a body is its size, not its bytes). */
export const describeCase = (r: FuzzRequest) =>
  `${r.method} ${r.path.length > 200 ? `${r.path.slice(0, 200)}…` : r.path} (${r.route}; headers ${JSON.stringify(r.headers)}; ` +
  `body ${sizeOf(r)} bytes${r.body && 'chunks' in r.body ? ', chunked' : ''})`

const named = (r: FuzzRequest): FuzzRequest => Object.assign(r, { [fc.toStringMethod]: () => describeCase(r) })

// ---- the library's routes ----

export function libraryRequest(s: Seeded): fc.Arbitrary<FuzzRequest> {
  const sample = id(s.samples, [...s.hiddenSamples, ...s.tasks], s.dataDir)
  const task = id(s.tasks, s.samples, s.dataDir)
  const experiment = id(s.experiments, ['exp-gone', ...s.samples], s.dataDir)
  const blob = id([...s.files, s.frame.hash], [s.frame.hash.toUpperCase(), ...s.samples], s.dataDir)
  const queued = id(s.queued, s.samples, s.dataDir)
  const get = (route: string, paths: fc.Arbitrary<string>, headerSets: fc.Arbitrary<Record<string, string>> = fc.constant({})) =>
    fc
      .record({ path: paths, headers: headerSets, head: oneIn(8) })
      .map(({ path, headers, head }): FuzzRequest => ({ method: head ? 'HEAD' : 'GET', path, headers, route }))
  const list = (name: string) =>
    get(
      `GET /${name}`,
      query.map((q) => `${LIB}/${name}${q}`),
    )
  const under = (name: string, ids: fc.Arbitrary<string>, tail = '') =>
    fc.tuple(ids, query).map(([i, q]) => `${LIB}/${name}/${i}${tail}${q}`)
  const request = {
    id: 'fuzz-request-0001',
    provider: 'local',
    modelPath: '/v3/async/veo-3.1-generate-firstlastframe',
    request: { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'a door' }, frames: {} },
    body: { prompt: 'a door' },
    priority: 'sweep',
    experimentId: s.experiments[0],
    cell: { row: 0, col: 1 },
    retryOf: s.tasks[0],
  }
  const printable = fc.stringMatching(/^[\x20-\x7e]{0,40}$/)
  const range = fc.oneof(
    fc.constantFrom('bytes=0-0', 'bytes=-1', 'bytes=0-', 'bytes=5-2', 'bytes=999999-', 'bytes=abc', 'bytes=0-1,2-3', 'bytes=,'),
    fc.constantFrom('items=0-1', 'bytes=-0', 'bytes=99999999999999999999999-', 'bytes=0-99999999999999999999999', 'bytes = 1 - 2'),
    printable.map((r) => `bytes=${r}`),
    printable,
  )
  // Mostly a Range alone (206, 416 or the whole file); now and then a validator that wins over it (304, or 200 whole).
  const validator = (etags: fc.Arbitrary<string>) =>
    fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.oneof(etags, printable), weight: 1 })
  const etag = fc.constantFrom(...s.files, s.frame.hash).map((sha) => `"${sha}"`)
  const fileHeaders = fc
    .record({
      range: fc.option(range, { nil: undefined, freq: 8 }),
      'if-none-match': validator(fc.oneof(etag, fc.constant('*'))),
      'if-range': validator(etag),
    })
    .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>)
  const frameBody = fc.oneof(
    { arbitrary: fc.constant(s.frame.png), weight: 3 },
    {
      arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((tail) => new Uint8Array(Buffer.concat([s.frame.png, tail]))),
      weight: 3,
    },
    { arbitrary: fc.constantFrom(utf8('GIF89a....'), utf8('<svg></svg>'), new Uint8Array(0), new Uint8Array(256 * 1024)), weight: 2 },
    { arbitrary: fc.uint8Array({ maxLength: 300 }), weight: 2 },
  )
  const frameType = fc.option(
    fc.constantFrom('image/png', 'image/jpeg', 'application/octet-stream', 'text/plain', 'image/png; q=1', 'image/gif'),
    {
      nil: undefined,
      freq: 4,
    },
  )
  const framePut = fc
    .record({
      at: fc.oneof({ arbitrary: fc.constant('own'), weight: 3 }, { arbitrary: blob, weight: 2 }),
      q: fc.oneof(fc.constant('?name=door.png&width=64&height=48'), query),
      body: frameBody,
      type: frameType,
      chunked: oneIn(4),
    })
    .map(({ at, q, body, type, chunked }): FuzzRequest => {
      const sha = at === 'own' ? createHash('sha256').update(body).digest('hex') : at
      return {
        method: 'PUT',
        path: `${LIB}/frames/${sha}${q}`,
        route: 'PUT /frames/:sha256',
        headers: type === undefined ? {} : { 'content-type': type },
        body: chunked ? { chunks: [body.subarray(0, 40), body.subarray(40)] } : body,
      }
    })
  const nowhere = fc.record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PURGE', 'PROPFIND', 'FOO', 'get'),
    path: fc.oneof(
      fc.constantFrom(`${LIB}`, `${LIB}/`, `${LIB}/nope`, `${LIB}x/samples`, `${LIB}/samples/a/b/c`, `${LIB}//samples`, `${LIB}/files`),
      under('tasks', task),
      under('experiments', experiment, '/restore'),
      under('storage', sample),
      under('settings', sample),
    ),
  })
  const oversize = fc
    .record({ path: under('samples', sample), frame: fc.stringMatching(/^[0-9a-f]{64}$/), which: fc.boolean() })
    .map(({ path, frame, which }): FuzzRequest =>
      which
        ? {
            method: 'PUT',
            path: `${LIB}/frames/${frame}?width=1&height=1`,
            headers: { 'content-type': 'image/png' },
            body: big(MAX_FRAME_BYTES + 1),
            route: 'PUT /frames (oversize)',
          }
        : {
            method: 'PATCH',
            path,
            headers: { 'content-type': 'application/json' },
            body: big(MAX_BODY_BYTES + 1),
            route: 'PATCH (past the body limit)',
          },
    )
  const routes = fc.oneof(
    list('samples'),
    get(
      'GET /samples/count',
      query.map((q) => `${LIB}/samples/count${q}`),
    ),
    get('GET /samples/:id', under('samples', sample)),
    withBody('PATCH /samples/:id', 'PATCH', under('samples', sample), jsonBody({ favourite: true }, 4 * 1024)),
    fc
      .record({ path: under('samples', sample), method: fc.constantFrom('DELETE', 'POST') })
      .map(({ path, method }): FuzzRequest =>
        method === 'DELETE'
          ? { method, path, headers: {}, route: 'DELETE /samples/:id' }
          : { method, path: path.replace(/(\?|$)/, '/restore$1'), headers: {}, route: 'POST /samples/:id/restore' },
      ),
    list('tasks'),
    get('GET /tasks/:id', under('tasks', task)),
    list('experiments'),
    get('GET /experiments/:id', under('experiments', experiment)),
    withBody(
      'PATCH /experiments/:id',
      'PATCH',
      under('experiments', experiment),
      jsonBody({ name: 'Sweep', marks: { '0:1': { winner: true, note: 'best light' } } }, 1024 * 1024),
    ),
    list('prompts'),
    framePut,
    get('GET /frames/:sha256', under('frames', blob)),
    get('GET /files/:sha256', under('files', blob), fileHeaders),
    get(
      'GET /storage',
      query.map((q) => `${LIB}/storage${q}`),
    ),
    list('requests'),
    get('GET /requests/:id', under('requests', queued)),
    withBody('POST /requests', 'POST', fc.constant(`${LIB}/requests`), jsonBody({ requests: [request] }, 64 * 1024)),
    withBody(
      'POST /requests/cancel',
      'POST',
      fc.constantFrom(`${LIB}/requests/cancel`, `${LIB}/requests/restore`),
      jsonBody({ ids: s.queued }, 4096),
    ),
    get('GET /settings', fc.constant(`${LIB}/settings`)),
    withBody('PATCH /settings', 'PATCH', fc.constant(`${LIB}/settings`), jsonBody({ requestsPerMinute: 10 }, 1024)),
    withBody('PUT /settings/provider-key', 'PUT', fc.constant(`${LIB}/settings/provider-key`), jsonBody({ key: 'sk-fuzz-1234abcd' }, 1024)),
    // A key that is kept, often enough that two land in one batch: two saves at once were a 500.
    fc.stringMatching(/^[a-z0-9-]{8,20}$/).map((key): FuzzRequest => ({
      method: 'PUT',
      path: `${LIB}/settings/provider-key`,
      headers: { 'content-type': 'application/json' },
      body: utf8(JSON.stringify({ key: `sk-${key}` })),
      route: 'PUT /settings/provider-key (a key)',
    })),
    fc.constant<FuzzRequest>({
      method: 'DELETE',
      path: `${LIB}/settings/provider-key`,
      headers: {},
      route: 'DELETE /settings/provider-key',
    }),
    fc
      .record({
        q: query,
        last: fc.option(fc.constantFrom('0', '1', '-1', '1.5', '1e21', '99999999999999999999', 'abc', ' 3'), { nil: undefined }),
      })
      .map(({ q, last }): FuzzRequest => ({
        method: 'GET',
        path: `${LIB}/events${q}`,
        headers: last === undefined ? {} : { 'last-event-id': last },
        route: 'GET /events',
      })),
    ...writeRequests(s, { task, experiment, blob }, frameBody),
    nowhere.map(({ method, path }): FuzzRequest => ({ method, path, headers: {}, route: 'no such route' })),
  )
  // Bodies past a limit, with their Content-Length: refused before they are read (a few per run; they are large).
  return fc.oneof({ arbitrary: routes, weight: 400 }, { arbitrary: oversize, weight: 1 }).map(named)
}

// ---- the local engine ----

/** Mostly the catalogue's two models, whose submits count against the per-client limit. */
const MODELS = fc.oneof(
  { arbitrary: fc.constantFrom('veo-3.1-generate-firstlastframe', 'veo-3.0-generate-preview-img2video'), weight: 4 },
  { arbitrary: fc.constantFrom('nope', '..%2f..%2fx'), weight: 1 },
)

/** Hostile submits to the local engine (most past the per-client limit: a 429 answered before the body is read). */
export const engineRequest: fc.Arbitrary<FuzzRequest> = fc
  .oneof(
    withBody(
      'POST /api/local/v3/async/:model',
      'POST',
      MODELS.map((m) => `/api/local/v3/async/${m}`),
      fc.oneof(
        jsonBody({ prompt: 'a door', image: 'data:image/png;base64,AAAA', duration_seconds: 4 }, 4096),
        fc.constantFrom(10, 300 * 1024, 2 * 1024 * 1024).map((n) => big(n)),
      ),
    ),
    fc.tuple(idText, fc.boolean()).map(([t, raw]): FuzzRequest => ({
      method: 'GET',
      path: `/api/local/v3/async/task-result?task_id=${encode(t, raw ? /[/.%]/ : /$^/)}`,
      headers: {},
      route: 'GET /api/local/v3/async/task-result',
    })),
  )
  .map(named)

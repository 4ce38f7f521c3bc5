// The library API's fuzz cases for the writes the browser sends once it keeps its library on the gateway: the selection
// bar, task actions, experiment create, delete and restore, prompt uses, files put by SHA-256, and the import.
import { createHash } from 'node:crypto'
import * as fc from 'fast-check'
import { jsonBody, query, utf8 } from './library-fuzz-values.ts'
import { LIB, oneIn, withBody, type FuzzRequest, type Seeded } from './library-fuzz-requests.ts'

const request = { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'a door' }, frames: {} }

export function writeRequests(
  s: Seeded,
  ids: { task: fc.Arbitrary<string>; experiment: fc.Arbitrary<string>; blob: fc.Arbitrary<string> },
  frameBody: fc.Arbitrary<Uint8Array>,
): fc.Arbitrary<FuzzRequest>[] {
  const { task, experiment, blob } = ids
  const under = (name: string, which: fc.Arbitrary<string>) => fc.tuple(which, query).map(([i, q]) => `${LIB}/${name}/${i}${q}`)
  const mp4Head = utf8('\u0000\u0000\u0000\u0018ftypisom\u0000\u0000\u0002\u0000isomiso2')
  const blobPut = fc
    .record({
      at: fc.oneof({ arbitrary: fc.constant('own'), weight: 3 }, { arbitrary: blob, weight: 2 }),
      body: fc.oneof(
        frameBody,
        fc.uint8Array({ maxLength: 200 }).map((tail) => new Uint8Array(Buffer.concat([mp4Head, tail]))),
      ),
      type: fc.option(fc.constantFrom('video/mp4', 'image/jpeg', 'image/png', 'image/webp', 'VIDEO/MP4; x=1', 'video/webm', 'text/html'), {
        nil: undefined,
        freq: 6,
      }),
      chunked: oneIn(4),
    })
    .map(({ at, body, type, chunked }): FuzzRequest => {
      const sha = at === 'own' ? createHash('sha256').update(body).digest('hex') : at
      return {
        method: 'PUT',
        path: `${LIB}/blobs/${sha}`,
        route: 'PUT /blobs/:sha256',
        headers: type === undefined ? {} : { 'content-type': type },
        body: chunked ? { chunks: [body.subarray(0, 40), body.subarray(40)] } : body,
      }
    })
  const board = {
    id: 'fuzz-board-0001',
    name: 'Sweep',
    base: request,
    rows: ['a door', 'a window'],
    columns: [{ seed: 1 }, { seed: 2, varied: { key: 'resolution', value: '1080p' } }],
    createdAt: 1767225600000,
  }
  const importTask = {
    id: 'local:fz-import',
    provider: 'local',
    taskId: 'fz-import',
    request,
    createdAt: 1767225600000,
    status: 'TASK_STATUS_FAILED',
    reason: '',
  }
  const importPart = {
    tasks: [importTask],
    samples: [
      {
        id: 'local:fz-import#0',
        taskRecordId: 'local:fz-import',
        provider: 'local',
        index: 0,
        request,
        createdAt: 1767225600000,
        videoUrl: 'https://cdn.example/v.mp4',
        urlExpiresAt: 1767229200000,
        videoSha256: s.files[0],
        favourite: false,
      },
    ],
    experiments: [{ ...board, marks: {} }],
    prompts: [{ text: 'a door', lastUsedAt: 1767225600000, uses: 2 }],
    frames: [
      { hash: s.frame.hash, mime: 'image/png', width: 64, height: 48, bytes: s.frame.png.length, name: 'door.png', addedAt: 1767225600000 },
    ],
  }
  const selection = fc.constantFrom(`${LIB}/samples/favourite`, `${LIB}/samples/delete`, `${LIB}/samples/restore`)
  return [
    withBody(
      'POST /samples/(favourite|delete|restore)',
      'POST',
      selection,
      jsonBody({ ids: s.samples, favourite: true, deletedAt: 1 }, 1024 * 1024),
    ),
    fc.record({ path: under('tasks', task), action: fc.constantFrom('/dismiss', '/resume') }).map(({ path, action }): FuzzRequest => ({
      method: 'POST',
      path: path.replace(/(\?|$)/, `${action}$1`),
      headers: {},
      route: `POST /tasks/:id${action}`,
    })),
    fc.constant<FuzzRequest>({ method: 'POST', path: `${LIB}/tasks/dismiss-finished`, headers: {}, route: 'POST /tasks/dismiss-finished' }),
    withBody('POST /experiments', 'POST', fc.constant(`${LIB}/experiments`), jsonBody(board, 1024 * 1024)),
    fc
      .record({ path: under('experiments', experiment), method: fc.constantFrom('DELETE', 'POST') })
      .map(({ path, method }): FuzzRequest =>
        method === 'DELETE'
          ? { method, path, headers: {}, route: 'DELETE /experiments/:id' }
          : { method, path: path.replace(/(\?|$)/, '/restore$1'), headers: {}, route: 'POST /experiments/:id/restore' },
      ),
    withBody('POST /prompts', 'POST', fc.constant(`${LIB}/prompts`), jsonBody({ text: 'a door' }, 64 * 1024)),
    blobPut,
    withBody('POST /blobs/held', 'POST', fc.constant(`${LIB}/blobs/held`), jsonBody({ sha256: [...s.files, s.frame.hash] }, 128 * 1024)),
    withBody('POST /import', 'POST', fc.constant(`${LIB}/import`), jsonBody(importPart, 1024 * 1024)),
    withBody(
      'POST /import/held',
      'POST',
      fc.constant(`${LIB}/import/held`),
      jsonBody(
        { tasks: s.tasks, samples: s.samples, experiments: s.experiments, prompts: ['a door'], frames: [s.frame.hash] },
        1024 * 1024,
      ),
    ),
  ]
}

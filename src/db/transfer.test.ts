// @vitest-environment node
import { describe, expect, it, vi } from 'vitest'
import { sampleRecord } from '../../testing/sample-record'
import { withFakeLibrary } from '../test/fake-library'
import { sha256Hex } from '../lib/bytes'
import type { ExperimentRecord, TaskRecord } from './db'
import {
  batches,
  heldRecords,
  importCalls,
  importExperiment,
  importFrame,
  importSample,
  importTask,
  putMissingBlobs,
  sendImport,
} from './transfer'

// In Node, where the bytes a Blob body uploads are the bytes hashed (jsdom's Blob does not reach Node's fetch whole).
vi.stubGlobal('location', new URL('http://localhost:3000/'))
const library = withFakeLibrary()

const task = (over: Partial<TaskRecord> = {}): TaskRecord => ({
  id: 'local:t',
  provider: 'local',
  taskId: 't',
  request: { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'a kite' }, frames: {} },
  createdAt: 1,
  status: 'TASK_STATUS_SUCCEED',
  reason: '',
  finishedAt: 2,
  ...over,
})

describe('records in the shapes POST /import takes', () => {
  it.each([
    [
      'a kept video',
      { favourite: 1 as const },
      { videoSha256: 'v', posterSha256: 'p' },
      { favourite: true, stored: true, videoSha256: 'v', posterSha256: 'p' },
    ],
    ['no copy', { favourite: 0 as const }, {}, { favourite: false, stored: false }],
    // A poster without its video stays behind.
    ['a poster with no video', { favourite: 0 as const }, { posterSha256: 'p' }, { favourite: false, stored: false }],
  ])('a sample with %s', (_, over, files, expected) => {
    const s = importSample(sampleRecord({ ...over, storeError: 'Storage is full', offloadedAt: 5 }), files)
    // The record's own fields, as they were; what the browser said of its quota stays behind.
    const { id, taskRecordId, provider, index, request, seed, createdAt, videoUrl, urlExpiresAt, ...rest } = s
    expect({ id, taskRecordId, provider, index, request, seed, createdAt, videoUrl, urlExpiresAt }).toEqual({
      id: 'local:t#0',
      taskRecordId: 'local:t',
      provider: 'local',
      index: 0,
      request: sampleRecord().request,
      seed: '1',
      createdAt: 0,
      videoUrl: '/v.mp4',
      urlExpiresAt: 0,
    })
    expect(rest).toEqual(expected)
  })

  it('a task: dismissed as a boolean, fields it does not know left out, text cut to what the gateway keeps', () => {
    const old = { ...task({ reason: 'x'.repeat(20_000) }), pollCount: 3 } as TaskRecord
    const t = importTask(old)
    expect(t.dismissed).toBe(false)
    expect(t).not.toHaveProperty('pollCount')
    expect(t).not.toHaveProperty('seed')
    expect(t.reason).toHaveLength(10_000)
    expect(importTask(task({ dismissed: true, stalled: { message: 'm', at: 3 } }))).toMatchObject({
      dismissed: true,
      stalled: { message: 'm', at: 3 },
    })
  })

  it('an experiment without deletedAt, its name cut to 200 characters; a frame without its bytes', () => {
    const e: ExperimentRecord = {
      id: 'e',
      name: 'n'.repeat(300),
      createdAt: 1,
      base: task().request,
      rows: ['a'],
      columns: [{ seed: 1 }],
      marks: {},
      deletedAt: 9,
    }
    expect(importExperiment(e)).toEqual({
      id: 'e',
      name: 'n'.repeat(200),
      createdAt: 1,
      base: task().request,
      rows: ['a'],
      columns: [{ seed: 1 }],
      marks: {},
    })
    const frame = { hash: 'h', mime: 'image/png' as const, width: 2, height: 1, bytes: 3, name: 'f.png', addedAt: 4, blob: new Blob(['x']) }
    expect(importFrame(frame, 't')).toEqual({
      hash: 'h',
      mime: 'image/png',
      width: 2,
      height: 1,
      bytes: 3,
      name: 'f.png',
      addedAt: 4,
      thumbSha256: 't',
    })
  })
})

describe('calls of at most 2,000 records', () => {
  it.each([
    [{ samples: 0, tasks: 0 }, []],
    [{ samples: 3, tasks: 2 }, [{ tasks: 2, samples: 3 }]],
    [{ samples: 4, tasks: 3 }, [{ tasks: 3, samples: 2 }, { samples: 2 }]],
    [{ samples: 10, tasks: 0 }, [{ samples: 5 }, { samples: 5 }]],
  ])('%j in calls of 5 → %j', (counts, expected) => {
    const records = {
      tasks: Array.from({ length: counts.tasks }, (_, i) => importTask(task({ id: `local:${i}` }))),
      samples: Array.from({ length: counts.samples }, (_, i) => importSample(sampleRecord({ index: i }))),
    }
    const calls = importCalls(records, 5)
    expect(calls.map((c) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.length])))).toEqual(expected)
    // Tasks go before the samples that name them.
    expect(calls.flatMap((c) => Object.keys(c))).toEqual(expected.flatMap((c) => Object.keys(c)))
  })

  it('batches', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
    expect(batches([], 2)).toEqual([])
  })
})

describe('against the library', () => {
  it('puts only the files the gateway lacks, checked by their hash, then sends the records', async () => {
    const a = new Blob(['video a'], { type: 'video/mp4' })
    const b = new Blob(['video b'], { type: 'video/mp4' })
    const [shaA, shaB] = await Promise.all([sha256Hex(a), sha256Hex(b)])
    library.files.set(shaA, a)
    const bytes: number[] = []
    await putMissingBlobs(
      [
        { sha256: shaA, blob: a },
        { sha256: shaB, blob: b },
        { sha256: shaB, blob: b },
      ],
      { onBytes: (n) => bytes.push(n) },
    )
    expect(library.calls.filter((c) => c.method === 'PUT').map((c) => c.path)).toEqual([`/blobs/${shaB}`])
    expect(bytes).toEqual([a.size, b.size, b.size])

    await sendImport({
      tasks: [importTask(task())],
      samples: [importSample(sampleRecord({ taskRecordId: 'local:t' }), { videoSha256: shaB })],
    })
    const held = await heldRecords({ tasks: ['local:t', 'local:other'], samples: ['local:t#0'] })
    expect([...held.tasks]).toEqual(['local:t'])
    expect([...held.samples]).toEqual(['local:t#0'])
    expect(library.samples.get('local:t#0')).toMatchObject({ favourite: false, stored: true, videoSha256: shaB })
  })
})

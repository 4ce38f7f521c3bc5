// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { sampleRecord } from '../../../testing/sample-record'
import type { ExperimentRecord, FrameRecord, QueueItem, TaskRecord } from '../../db/db'
import type { LegacyLibrary } from '../../db/legacy-library'
import type { ImportKind } from '../../db/transfer'
import { movableItems, movedWords, moveKeys, planMove, progressWords, unconfirmed } from './move-plan'

const request = { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'a kite' }, frames: {} }
const task = (id: string, over: Partial<TaskRecord> = {}): TaskRecord => ({
  id: `local:${id}`,
  provider: 'local',
  taskId: id,
  request,
  createdAt: 1,
  status: 'TASK_STATUS_SUCCEED',
  reason: '',
  finishedAt: 2,
  ...over,
})
const experiment = (id: string, over: Partial<ExperimentRecord> = {}): ExperimentRecord => ({
  id,
  name: id,
  createdAt: 1,
  base: request,
  rows: ['a kite'],
  columns: [{ seed: 1 }],
  marks: {},
  ...over,
})
const queued = (id: string, over: Partial<QueueItem> = {}): QueueItem => ({
  id,
  createdAt: 1,
  provider: 'local',
  request,
  state: 'queued',
  attempts: 0,
  ...over,
})
const frame = (hash: string, size: number): FrameRecord => ({
  hash,
  blob: new Blob([new Uint8Array(size)]),
  thumb: new Blob([new Uint8Array(1)]),
  mime: 'image/png',
  width: 2,
  height: 2,
  bytes: size,
  name: 'f.png',
  addedAt: 1,
})

const old: Omit<LegacyLibrary, 'videos'> = {
  tasks: [
    task('a'),
    task('b', { status: 'TASK_STATUS_PROCESSING', finishedAt: undefined }),
    task('gone', { experimentId: 'x' }),
    task('board', { experimentId: 'e' }),
  ],
  samples: [
    sampleRecord({ taskRecordId: 'local:a' }),
    sampleRecord({ taskRecordId: 'local:a', index: 1, deletedAt: 5 }),
    sampleRecord({ taskRecordId: 'local:gone' }),
    sampleRecord({ taskRecordId: 'local:missing' }),
    sampleRecord({ taskRecordId: 'local:board' }),
  ],
  experiments: [experiment('e'), experiment('x', { deletedAt: 3 })],
  prompts: [
    { text: 'a kite', lastUsedAt: 1, uses: 2 },
    { text: ' ', lastUsedAt: 1, uses: 1 },
  ],
  frames: [frame('f', 100)],
  queue: [
    queued('q1'),
    queued('q2', { state: 'sending' }),
    queued('q3', { state: 'failed' }),
    queued('q4', { cancelled: true }),
    queued('q5', { experimentId: 'x' }),
  ],
}

describe('what of the old library goes across', () => {
  const items = movableItems(old)
  it.each([
    ['tasks', ['local:a', 'local:b', 'local:board'], 'a running task goes too (the gateway polls it on); not one of a deleted experiment'],
    ['samples', ['local:a#0', 'local:board#0'], 'not a deleted sample, one of a deleted experiment, or one whose task is gone'],
    ['experiments', ['e'], 'not a deleted experiment'],
    ['prompts', ['a kite'], 'not an empty prompt'],
    ['frames', ['f'], 'every frame'],
  ] as [ImportKind, string[], string][])('%s: %j (%s)', (kind, keys) => {
    expect(moveKeys(items)[kind]).toEqual(keys)
  })

  it('waiting requests go to the queue; a failed one is counted, a cancelled one or one of a deleted experiment is not', () => {
    expect(items.requests.map((q) => q.id)).toEqual(['q1', 'q2'])
    expect(items.failedRequests).toBe(1)
  })
})

describe('the plan: only what the gateway does not hold yet', () => {
  const items = movableItems(old)
  const videos = new Map([
    ['local:a#0', { sampleId: 'local:a#0', blob: new Blob([new Uint8Array(1000)]), poster: new Blob([new Uint8Array(10)]) }],
  ])
  const none = {
    frames: new Set<string>(),
    prompts: new Set<string>(),
    experiments: new Set<string>(),
    tasks: new Set<string>(),
    samples: new Set<string>(),
  }

  it.each([
    ['nothing held', none, { done: 0, bytesDone: 0, samples: 2, frames: 1 }],
    [
      'a sample and the frame held',
      { ...none, samples: new Set(['local:a#0']), frames: new Set(['f']) },
      { done: 2, bytesDone: 1111, samples: 1, frames: 0 },
    ],
    [
      'everything held',
      { ...none, ...Object.fromEntries(Object.entries(moveKeys(items)).map(([k, v]) => [k, new Set(v)])) },
      { done: 8, bytesDone: 1111, samples: 0, frames: 0 },
    ],
  ])('%s', (_, held, expected) => {
    const plan = planMove(items, held as Record<ImportKind, Set<string>>, videos)
    // 8 records and 2 waiting requests; a sample's video and poster, a frame and its thumbnail.
    expect(plan.total).toBe(10)
    expect(plan.bytesTotal).toBe(1111)
    expect({ done: plan.done, bytesDone: plan.bytesDone, samples: plan.send.samples.length, frames: plan.send.frames.length }).toEqual(
      expected,
    )
    expect(unconfirmed(items, held as Record<ImportKind, Set<string>>)).toHaveLength(8 - expected.done)
  })
})

describe('words', () => {
  it.each([
    [{ done: 0, total: 0, bytesDone: 0, bytesTotal: 0 }, '0 of 0 items'],
    [{ done: 1, total: 1, bytesDone: 0, bytesTotal: 0 }, '1 of 1 item'],
    [{ done: 412, total: 1030, bytesDone: 1.2 * 1024 ** 3, bytesTotal: 3.4 * 1024 ** 3 }, '412 of 1,030 items · 1.2 GB of 3.4 GB'],
    [{ done: 3, total: 9, bytesDone: 5_400_000, bytesTotal: 20_000_000 }, '3 of 9 items · 5.1 MB of 19.1 MB'],
  ])('%j reads "%s"', (p, words) => expect(progressWords(p)).toBe(words))

  it.each([
    [{ moved: 1030, failedRequests: 0, unbuilt: 0 }, 'Moved 1,030 items to the gateway. The old copy in this browser was deleted.'],
    [
      { moved: 1, failedRequests: 2, unbuilt: 1 },
      'Moved 1 item to the gateway. The old copy in this browser was deleted. 2 requests that had failed to send were not sent again. 1 waiting request could not be sent any more (its model or a frame is gone) and was left out.',
    ],
  ])('%j reads "%s"', (outcome, words) => expect(movedWords(outcome)).toBe(words))
})

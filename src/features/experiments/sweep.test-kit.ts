import type { QueryClient } from '@tanstack/react-query'
import { applyLibraryChange } from '../../api/library-queries'
import type { Change } from '../../api/library-schemas'
import type { StoredRequest } from '../../db/db'
import { fakeLibrary, fakeSample, type FakeExperiment, type FakeTask } from '../../test/fake-library'
import { cellRequest } from './sweep'

/*
 * Sweeps in the fake library for the board's and the list's tests: an experiment with its requests waiting in the
 * gateway's queue, and what the gateway's runner leaves behind as it sends them and their tasks finish.
 */

const frame = (name: string) => ({ kind: 'url' as const, url: `https://example.com/${name}.png` })

export const base: StoredRequest = {
  modelId: 'veo-3.1-generate-firstlastframe',
  params: { prompt: 'a kite', duration_seconds: 4 },
  frames: { first: frame('first'), last: frame('last') },
}

const requestId = (experimentId: string, row: number, col: number) => `req-${experimentId}-${row}-${col}`
export const taskIdOf = (experimentId: string, row: number, col: number) => `local:${experimentId}-${row}${col}`

/** A sweep as Run sweep leaves it: the experiment, and every cell's request waiting in the queue, in order. */
export function seedSweep(over: { id?: string; name?: string; rows: string[]; seeds: number[]; createdAt?: number }): FakeExperiment {
  const { id = 'e1', rows, seeds, createdAt = 1_000 } = over
  const columns = seeds.map((seed) => ({ seed }))
  const experiment: FakeExperiment = { id, name: over.name ?? rows[0]!, createdAt, base, rows, columns, marks: {} }
  fakeLibrary.experiments.set(id, experiment)
  rows.forEach((prompt, row) =>
    columns.forEach((column, col) => {
      const rid = requestId(id, row, col)
      fakeLibrary.requests.set(rid, {
        id: rid,
        createdAt: createdAt + row * columns.length + col,
        provider: 'local',
        request: cellRequest(base, prompt, column) as unknown as FakeTask['request'],
        priority: 'sweep',
        state: 'queued',
        attempts: 0,
        experimentId: id,
        cell: { row, col },
      })
    }),
  )
  return experiment
}

/** A cell's request in the queue, to change its state as the runner would. */
export const requestOf = (experimentId: string, row: number, col: number) => fakeLibrary.requests.get(requestId(experimentId, row, col))!

export interface Outcome {
  status?: string
  progressPercent?: number
  reason?: string
  /** How many videos it returned (finished tasks); each kept in the library. */
  videos?: number
}

/**
 * What the runner does with a cell's request: sends it (the request marked sent, its task written, in one step), then
 * the task as the provider answers; a successful one gets its videos kept, each a sample with its poster.
 */
export function runCell(experimentId: string, row: number, col: number, outcome: Outcome = {}): FakeTask {
  const { status = 'TASK_STATUS_SUCCEED', videos = status === 'TASK_STATUS_SUCCEED' ? 1 : 0 } = outcome
  const item = requestOf(experimentId, row, col)
  const id = taskIdOf(experimentId, row, col)
  const finished = status === 'TASK_STATUS_SUCCEED' || status === 'TASK_STATUS_FAILED'
  const seed = String((item.request.params as { seed?: number }).seed)
  const task: FakeTask = {
    id,
    provider: 'local',
    taskId: id.slice('local:'.length),
    request: item.request,
    createdAt: 2_000 + row * 10 + col,
    status,
    reason: outcome.reason ?? '',
    dismissed: false,
    seed,
    experimentId,
    cell: { row, col },
    ...(finished ? { finishedAt: 3_000, videoCount: videos } : {}),
    ...(outcome.progressPercent === undefined ? {} : { progressPercent: outcome.progressPercent }),
  }
  item.state = 'sent'
  item.taskRecordId = id
  fakeLibrary.tasks.set(id, task)
  for (let i = 0; i < videos; i++) {
    const sample = fakeSample({
      id: `${id}#${i}`,
      request: item.request,
      seed,
      stored: true,
      videoSha256: `v${i}${id}`,
      posterSha256: `p${i}${id}`,
    })
    fakeLibrary.samples.set(sample.id, sample)
  }
  return task
}

/** What the change feed would tell an open tab (tests have no feed): the same refreshes follow. */
export function announce(client: QueryClient, topic: Change['topic'], ids: string[] = []): void {
  applyLibraryChange(client, { topic, ids })
}

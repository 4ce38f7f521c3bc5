import { QueryClient, QueryObserver } from '@tanstack/react-query'
import { describe, expect, it, onTestFinished } from 'vitest'
import { libraryKeys, libraryQueries } from '../api/library-queries'
import { fakeSample, seedSamples, seedTasks, withFakeLibrary, type FakeTask } from '../test/fake-library'
import type { ExperimentRecord, QueueItem, SampleRecord, TaskRecord } from './db'
import { deleteExperiment, restoreExperiment, undoExperimentDeletion } from './experiment-delete'
import { UNDO_WINDOW_MS } from './samples'

const library = withFakeLibrary()

const request = { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'a kite' }, frames: {} }

const task = (id: string, col: number, finished: boolean): FakeTask => ({
  id: `local:${id}`,
  provider: 'local',
  taskId: id,
  request,
  createdAt: 2_000,
  status: finished ? 'TASK_STATUS_SUCCEED' : 'TASK_STATUS_PROCESSING',
  reason: '',
  dismissed: false,
  ...(finished ? { finishedAt: 3_000, videoCount: 1 } : {}),
  experimentId: 'kites',
  cell: { row: 0, col },
})

/**
 * An experiment of four cells (one done with its sample, one running, one request being sent, one waiting) and a sample
 * of another task beside it; and a client that has read all of it, as a studio showing the gallery and the list has.
 */
async function world() {
  library.experiments.set('kites', {
    id: 'kites',
    name: 'kites',
    createdAt: 1_000,
    base: request,
    rows: ['a kite'],
    columns: [1, 2, 3, 4].map((seed) => ({ seed })),
    marks: {},
  })
  seedTasks(task('done', 0, true), task('running', 1, false))
  seedSamples(fakeSample({ id: 'local:done#0' }), fakeSample({ id: 'local:other#0' }))
  for (const [id, col, state] of [
    ['sending', 2, 'sending'],
    ['waiting', 3, 'queued'],
  ] as const)
    library.requests.set(id, {
      id,
      createdAt: 1_500 + col,
      provider: 'local',
      request,
      priority: 'sweep',
      state,
      attempts: 0,
      experimentId: 'kites',
      cell: { row: 0, col },
    })
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  // Each read as a mounted view holds it (the gallery, the task strip, the list), so what goes stale is read again.
  for (const query of [libraryQueries.experiments(), libraryQueries.tasks(), libraryQueries.samples(), libraryQueries.queue()]) {
    const observer = new QueryObserver(client, query as ConstructorParameters<typeof QueryObserver>[1])
    onTestFinished(observer.subscribe(() => {}))
    await observer.refetch()
  }
  return client
}

const ids = <T extends { id: string }>(list: T[] | undefined) => list?.map((x) => x.id)

describe('Delete experiment', () => {
  it('takes the experiment out of every read, with its tasks, samples and requests still waiting', async () => {
    const client = await world()
    const deleted = await deleteExperiment(client, 'kites')
    expect(deleted).toMatchObject({ id: 'kites', cancelled: ['sending', 'waiting'] })
    expect(library.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`)).toEqual(['DELETE /experiments/kites'])
    // At once in the cache: gone from the list and its requests from the queue.
    expect(client.getQueryData<ExperimentRecord[]>(libraryKeys.experiments())).toEqual([])
    expect(client.getQueryData<QueueItem[]>(libraryKeys.queue())).toEqual([])
    // Its tasks and samples leave the strip and the gallery as soon as they are read again.
    await expect.poll(() => ids(client.getQueryData<SampleRecord[]>(libraryKeys.samples()))).toEqual(['local:other#0'])
    await expect.poll(() => client.getQueryData<TaskRecord[]>(libraryKeys.tasks())).toEqual([])
    // A second press does nothing more.
    expect(await deleteExperiment(client, 'kites')).toBeUndefined()
  })

  it('Undo brings back the experiment, its tasks and samples, and its requests in line', async () => {
    const client = await world()
    const deleted = (await deleteExperiment(client, 'kites'))!
    await restoreExperiment(client, deleted)
    expect(library.calls.filter((c) => c.method === 'POST').map((c) => [c.path, c.body])).toEqual([
      ['/experiments/kites/restore', undefined],
      ['/requests/restore', { ids: ['sending', 'waiting'] }],
    ])
    expect(library.experiments.get('kites')?.deletedAt).toBeUndefined()
    expect([...library.requests.values()].map((r) => r.state)).toEqual(['queued', 'queued'])
    await expect.poll(() => ids(client.getQueryData<ExperimentRecord[]>(libraryKeys.experiments()))).toEqual(['kites'])
    await expect.poll(() => ids(client.getQueryData<TaskRecord[]>(libraryKeys.tasks()))?.sort()).toEqual(['local:done', 'local:running'])
    await expect.poll(() => ids(client.getQueryData<QueueItem[]>(libraryKeys.queue()))?.sort()).toEqual(['sending', 'waiting'])
  })

  it('offers Undo for the undo window; letting it go leaves the purge to the gateway', async () => {
    const client = await world()
    const deleted = (await deleteExperiment(client, 'kites'))!
    const before = Date.now()
    const toast = undoExperimentDeletion(client, deleted, 'Experiment “kites” deleted', true)
    expect(toast).toMatchObject({
      message: 'Experiment “kites” deleted',
      focus: true,
      key: `experiment-deleted:kites:${deleted.deletedAt}`,
    })
    expect(toast.until).toBeGreaterThanOrEqual(before + UNDO_WINDOW_MS)
    const calls = library.calls.length
    toast.expire()
    expect(library.calls).toHaveLength(calls)
    toast.undo()
    await expect.poll(() => library.experiments.get('kites')?.deletedAt).toBeUndefined()
  })
})

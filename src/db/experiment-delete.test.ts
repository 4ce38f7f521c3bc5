// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest'
import { sampleRecord } from '../../testing/sample-record'
import { taskResult } from '../../testing/task-result'
import { db, type StoredRequest, type TaskRecord } from './db'
import { deleteExperiment, purgeDeletedExperiments, purgeExperiment, restoreExperiment } from './experiment-delete'
import { createExperiment } from './experiments'
import { PURGE_GRACE_MS, UNDO_WINDOW_MS } from './samples'
import { recordFinalResult } from './tasks'

const request: StoredRequest = { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'a kite' }, frames: {} }

const task = (id: string, experimentId: string, finished: boolean): TaskRecord => ({
  id: `local:${id}`,
  provider: 'local',
  taskId: id,
  request,
  createdAt: 2_000,
  status: finished ? 'TASK_STATUS_SUCCEED' : 'TASK_STATUS_PROCESSING',
  reason: '',
  ...(finished ? { finishedAt: 3_000, videoCount: 1 } : {}),
  experimentId,
  cell: { row: 0, col: 0 },
})

/**
 * An experiment of four cells: one done (a sample and its video), one running, one request being sent, one waiting; and
 * a sample of another task beside it.
 */
async function world() {
  const e = await createExperiment(
    {
      name: 'kites',
      provider: 'local',
      base: request,
      rows: ['a kite'],
      columns: [1, 2, 3, 4].map((seed) => ({ seed })),
      cells: [0, 1, 2, 3].map((col) => ({ cell: { row: 0, col }, request })),
    },
    1_000,
  )
  const items = await db.queue.orderBy('createdAt').toArray()
  await db.queue.bulkDelete([items[0]!.id, items[1]!.id])
  await db.queue.update(items[2]!.id, { state: 'sending' })
  await db.tasks.bulkPut([task('done', e.id, true), task('running', e.id, false)])
  await db.samples.bulkPut([sampleRecord({ taskRecordId: 'local:done', stored: true }), sampleRecord({ taskRecordId: 'local:other' })])
  await db.videos.put({ sampleId: 'local:done#0', blob: new Blob(['v']) })
  return { e, sending: items[2]!.id, waiting: items[3]!.id }
}

const snapshot = async () => ({
  experiments: await db.experiments.toArray(),
  tasks: await db.tasks.toArray(),
  samples: await db.samples.toArray(),
  videos: await db.videos.toCollection().primaryKeys(),
  queue: await db.queue.toArray(),
})

afterEach(async () => {
  await db.delete()
  await db.open()
})

describe('Delete experiment', () => {
  it('hides the experiment, its samples and tasks at once, takes its waiting requests out and flags the one out', async () => {
    const { e, sending, waiting } = await world()
    const deleted = await deleteExperiment(e.id, 5_000)
    expect(deleted).toMatchObject({ samples: ['local:done#0'], flagged: [sending], hidden: ['local:done', 'local:running'] })
    expect(deleted?.removed.map((i) => i.id)).toEqual([waiting])
    expect((await db.experiments.get(e.id))?.deletedAt).toBe(5_000)
    expect((await db.samples.get('local:done#0'))?.deletedAt).toBe(5_000)
    expect((await db.samples.get('local:other#0'))?.deletedAt).toBeUndefined()
    expect((await db.tasks.toArray()).every((t) => t.dismissed)).toBe(true)
    expect(await db.queue.get(waiting)).toBeUndefined()
    expect((await db.queue.get(sending))?.cancelled).toBe(true)
    // A second press does nothing more.
    expect(await deleteExperiment(e.id, 6_000)).toBeUndefined()
  })

  it('Undo brings back exactly what was there', async () => {
    const { e } = await world()
    const before = await snapshot()
    await restoreExperiment((await deleteExperiment(e.id, 5_000))!)
    expect(await snapshot()).toEqual(before)
  })

  it('a task that finishes while the deletion can still be undone makes deleted samples, which Undo brings back too', async () => {
    const { e } = await world()
    const deleted = (await deleteExperiment(e.id, 5_000))!
    const video = { video_url: 'http://x/0.mp4', video_url_ttl: 3600, video_type: 'mp4' }
    await recordFinalResult('local:running', taskResult({ task: { status: 'TASK_STATUS_SUCCEED', reason: '' }, videos: [video] }))
    expect((await db.samples.get('local:running#0'))?.deletedAt).toBe(5_000)
    await restoreExperiment(deleted)
    expect((await db.samples.get('local:running#0'))?.deletedAt).toBeUndefined()
  })

  it('once it stands, purges the experiment, its tasks, samples, videos and requests, and leaves the rest', async () => {
    const { e, sending } = await world()
    await deleteExperiment(e.id, 5_000)
    await purgeExperiment(e.id, 5_000)
    const after = await snapshot()
    expect(after.experiments).toEqual([])
    expect(after.tasks).toEqual([])
    expect(after.samples.map((s) => s.id)).toEqual(['local:other#0'])
    expect(after.videos).toEqual([])
    // The request out stays, flagged: the runner drops it on a refusal, and a success still becomes its task.
    expect(after.queue.map((i) => [i.id, i.cancelled])).toEqual([[sending, true]])
  })

  it('is all or nothing: a write that fails inside changes nothing', async () => {
    const { e } = await world()
    const before = await snapshot()
    const fail = () => {
      throw new DOMException('full', 'QuotaExceededError')
    }
    // The last table the deletion writes refuses: everything written before it must be rolled back.
    db.queue.hook('updating', fail)
    try {
      await expect(deleteExperiment(e.id, 5_000)).rejects.toThrow('full')
    } finally {
      db.queue.hook('updating').unsubscribe(fail)
    }
    expect(await snapshot()).toEqual(before)
  })

  it('at start, purges experiments deleted long ago and only those', async () => {
    const { e } = await world()
    await deleteExperiment(e.id, 5_000)
    expect(await purgeDeletedExperiments(5_000 + UNDO_WINDOW_MS)).toBe(0)
    expect(await purgeDeletedExperiments(5_000 + UNDO_WINDOW_MS + PURGE_GRACE_MS)).toBe(1)
    expect(await db.experiments.count()).toBe(0)
  })
})

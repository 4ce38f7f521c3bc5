// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest'
import { db, type StoredRequest } from './db'
import { cancelWaiting, createExperiment, rerunCell, restoreWaiting, toggleWinner } from './experiments'

const request: StoredRequest = { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'a kite' }, frames: {} }

/** A 1 × 4 sweep as Run sweep writes it: four requests, queued. */
const sweep = () =>
  createExperiment(
    {
      name: 'kites',
      provider: 'local',
      base: request,
      rows: ['a kite'],
      columns: [{ seed: 1 }, { seed: 2 }, { seed: 3 }, { seed: 4 }],
      cells: [0, 1, 2, 3].map((col) => ({ cell: { row: 0, col }, request })),
    },
    1_000,
  )

afterEach(async () => {
  await db.delete()
  await db.open()
})

describe('rerunCell', () => {
  it('queues one request when pressed twice before the board re-reads', async () => {
    const experiment = await sweep()
    await db.queue.clear()
    const entry = { provider: 'local' as const, request, experimentId: experiment.id, cell: { row: 0, col: 2 } }
    const [a, b] = await Promise.all([rerunCell(entry), rerunCell(entry)])
    expect([a, b].filter(Boolean)).toHaveLength(1)
    expect(await db.queue.count()).toBe(1)
  })

  it('queues again once the cell has a task newer than its last request, and replaces a failed request', async () => {
    const experiment = await sweep()
    const entry = { provider: 'local' as const, request, experimentId: experiment.id, cell: { row: 0, col: 0 } }
    // The cell's request still waits: nothing to add.
    expect(await rerunCell(entry)).toBeUndefined()
    const first = (await db.queue.toArray()).find((i) => i.cell?.col === 0)!
    await db.queue.update(first.id, { state: 'failed' })
    const again = await rerunCell(entry, first.id)
    expect(again).toBeDefined()
    expect(await db.queue.get(first.id)).toBeUndefined()
  })
})

describe('toggleWinner', () => {
  it('flips the stored mark, so two quick presses cancel out and the note stays', async () => {
    const experiment = await sweep()
    await db.experiments.update(experiment.id, { marks: { '0:1': { note: 'sky' } } })
    await Promise.all([toggleWinner(experiment.id, { row: 0, col: 1 }), toggleWinner(experiment.id, { row: 0, col: 1 })])
    expect((await db.experiments.get(experiment.id))?.marks['0:1']).toEqual({ note: 'sky', winner: false })
    await toggleWinner(experiment.id, { row: 0, col: 1 })
    expect((await db.experiments.get(experiment.id))?.marks['0:1']).toEqual({ note: 'sky', winner: true })
  })
})

describe('cancelWaiting and restoreWaiting', () => {
  it('removes only what waits its turn, and Undo puts it back exactly', async () => {
    const experiment = await sweep()
    const before = await db.queue.orderBy('createdAt').toArray()
    await db.queue.update(before[0]!.id, { state: 'sending', sentAt: 2_000 })
    await db.queue.update(before[1]!.id, { state: 'failed', error: { message: 'The prompt is too long.' } })
    await db.queue.update(before[3]!.id, { notBefore: 9_000 })
    const waiting = await db.queue.orderBy('createdAt').toArray()

    const cancelled = await cancelWaiting(experiment.id)
    expect(cancelled.removed.map((i) => i.id)).toEqual([before[2]!.id, before[3]!.id])
    expect(cancelled.flagged).toEqual([before[0]!.id])
    // The request out is flagged, so it is never sent again; the failed one keeps its reason.
    expect((await db.queue.orderBy('createdAt').toArray()).map((i) => [i.state, i.cancelled])).toEqual([
      ['sending', true],
      ['failed', undefined],
    ])

    await restoreWaiting(cancelled)
    expect(await db.queue.orderBy('createdAt').toArray()).toEqual(waiting)
  })

  it('Undo leaves out a cell re-run since: no twin comes back', async () => {
    const experiment = await sweep()
    const cancelled = await cancelWaiting(experiment.id)
    const rerun = await rerunCell({ provider: 'local', request, experimentId: experiment.id, cell: { row: 0, col: 3 } }, undefined, 5_000)
    await restoreWaiting(cancelled)
    const cell3 = (await db.queue.toArray()).filter((i) => i.cell?.col === 3)
    expect(cell3.map((i) => i.id)).toEqual([rerun!.id])
    expect(await db.queue.count()).toBe(4)
  })
})

// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { QueueItem, TaskRecord } from '../../db/db'
import {
  cellStatus,
  experimentProgress,
  groupByCell,
  pauseLeft,
  pausedUntil,
  progressLine,
  queuePositions,
  waitingLine,
} from './board-state'

const request = { modelId: 'veo-3.1-generate-firstlastframe', params: {}, frames: {} }

const task = (id: string, row: number, col: number, createdAt: number, over: Partial<TaskRecord> = {}): TaskRecord => ({
  id: `local:${id}`,
  provider: 'local',
  taskId: id,
  request,
  createdAt,
  status: 'TASK_STATUS_QUEUED',
  reason: '',
  experimentId: 'e',
  cell: { row, col },
  ...over,
})
const done = (id: string, row: number, col: number, createdAt: number) =>
  task(id, row, col, createdAt, { status: 'TASK_STATUS_SUCCEED', finishedAt: createdAt + 1, videoCount: 1 })

const item = (id: string, row: number | undefined, col: number, createdAt: number, over: Partial<QueueItem> = {}): QueueItem => ({
  id,
  createdAt,
  provider: 'local',
  request,
  state: 'queued',
  attempts: 0,
  ...(row === undefined ? {} : { experimentId: 'e', cell: { row, col } }),
  ...over,
})

describe('queuePositions', () => {
  it('numbers the waiting items of the whole queue in the gateway’s sending order, the one going out first, failed ones left out', () => {
    const queue = [
      item('a', undefined, 0, 10, { state: 'sending' }),
      item('b', 0, 1, 20),
      item('d', 0, 3, 40, { state: 'failed' }),
      item('c', 0, 2, 30),
      item('e', 1, 0, 50),
    ]
    expect([...queuePositions(queue)]).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['e', 4],
    ])
  })
})

describe('cellStatus', () => {
  const positions = new Map([['q', 3]])
  const at = (tasks: TaskRecord[], items: QueueItem[]) => cellStatus(groupByCell(tasks, items).get('0:0'), positions)

  it.each<[string, TaskRecord[], QueueItem[], string]>([
    ['nothing sent and nothing waiting: cancelled', [], [], 'cancelled'],
    ['waiting in the queue', [], [item('q', 0, 0, 1)], 'waiting'],
    ['going out now: still waiting to send', [], [item('q', 0, 0, 1, { state: 'sending' })], 'waiting'],
    ['refused for good', [], [item('q', 0, 0, 1, { state: 'failed' })], 'send-failed'],
    ['at the provider, not rendering yet', [task('t', 0, 0, 5)], [], 'sent'],
    ['rendering', [task('t', 0, 0, 5, { status: 'TASK_STATUS_PROCESSING', progressPercent: 40 })], [], 'rendering'],
    ['done, its video on its way into the library', [task('t', 0, 0, 5, { status: 'TASK_STATUS_SUCCEED' })], [], 'done'],
    ['finished with a video', [done('t', 0, 0, 5)], [], 'done'],
    ['finished without a video', [task('t', 0, 0, 5, { status: 'TASK_STATUS_SUCCEED', finishedAt: 6, videoCount: 0 })], [], 'empty'],
    ['failed', [task('t', 0, 0, 5, { status: 'TASK_STATUS_FAILED', finishedAt: 6, reason: 'no' })], [], 'failed'],
    ['lost by the provider: failed', [task('t', 0, 0, 5, { status: 'TASK_STATUS_PROCESSING', lost: true, finishedAt: 6 })], [], 'failed'],
    ['a Re-run waiting after a finished task: the Re-run is the news', [done('t', 0, 0, 5)], [item('q', 0, 0, 9)], 'waiting'],
    ['a leftover item older than the newest task: the task is the news', [done('t', 0, 0, 5)], [item('q', 0, 0, 1)], 'done'],
    ['the newest of two tasks decides', [done('t1', 0, 0, 5), task('t2', 0, 0, 8)], [], 'sent'],
  ])('%s', (_, tasks, items, kind) => {
    expect(at(tasks, items).kind).toBe(kind)
  })

  it('gives a waiting cell its place in the queue', () => {
    expect(at([], [item('q', 0, 0, 1)])).toMatchObject({ kind: 'waiting', position: 3 })
  })

  it('lists a cell’s tasks newest first, and leaves other cells’ tasks out', () => {
    const cells = groupByCell([done('a', 0, 0, 1), done('b', 0, 0, 9), done('c', 1, 0, 5)], [])
    expect(cells.get('0:0')?.tasks.map((t) => t.taskId)).toEqual(['b', 'a'])
    expect(cells.get('1:0')?.tasks.map((t) => t.taskId)).toEqual(['c'])
  })
})

describe('experimentProgress and progressLine', () => {
  const experiment = {
    rows: ['a', 'b', 'c'],
    columns: [{ seed: 1 }, { seed: 2 }, { seed: 3 }],
    marks: { '0:0': { winner: true }, '0:1': { note: 'x' } },
  }

  it('counts a 3 × 3 sweep part way through, each state named as request-state names it', () => {
    const tasks = [
      done('1', 0, 0, 1),
      done('2', 0, 1, 2),
      done('3', 0, 2, 3),
      done('4', 1, 0, 4),
      task('5', 1, 1, 5, { status: 'TASK_STATUS_FAILED', finishedAt: 6 }),
      task('6', 1, 2, 6, { status: 'TASK_STATUS_PROCESSING' }),
    ]
    const items = [item('s', 2, 0, 7, { state: 'sending' }), item('q1', 2, 1, 8), item('q2', 2, 2, 9)]
    const p = experimentProgress(experiment, tasks, items)
    expect(p).toEqual({ total: 9, done: 4, sent: 0, rendering: 1, waiting: 3, failed: 1, cancelled: 0, winners: 1 })
    expect(progressLine(p)).toBe('4 of 9 tasks done · 1 rendering · 3 waiting to send · 1 failed')
    expect(progressLine(experimentProgress(experiment, [task('7', 0, 0, 1)], []))).toBe('0 of 1 task done · 1 sent · 8 cancelled')
  })

  it('no longer counts a refused request once a Re-run of its cell has replaced it', () => {
    const items = [item('f', 0, 0, 1, { state: 'failed' }), item('r', 0, 0, 5)]
    expect(progressLine(experimentProgress(experiment, [], items))).toBe('0 of 1 task done · 1 waiting to send · 8 cancelled')
  })

  it('counts the cells Cancel sweep emptied', () => {
    const p = experimentProgress(experiment, [done('1', 0, 0, 1)], [])
    expect(progressLine(p)).toBe('1 of 1 task done · 8 cancelled')
  })

  it('says the whole sweep is done in one phrase', () => {
    const tasks = experiment.rows.flatMap((_, r) => experiment.columns.map((__, c) => done(`${r}${c}`, r, c, r * 3 + c)))
    expect(progressLine(experimentProgress(experiment, tasks, []))).toBe('9 of 9 tasks done')
  })
})

describe('pausedUntil', () => {
  it('is the latest wait still ahead, and nothing once it has passed', () => {
    const items = [item('a', 0, 0, 1, { notBefore: 5_000 }), item('b', 0, 1, 2, { notBefore: 8_000 }), item('c', 0, 2, 3)]
    expect(pausedUntil(items, 4_000)).toBe(8_000)
    expect(pausedUntil(items, 8_000)).toBeUndefined()
    expect(pausedUntil([item('f', 0, 0, 1, { state: 'failed', notBefore: 9_000 })], 0)).toBeUndefined()
  })
})

describe('pauseLeft and waitingLine', () => {
  it('gives the pause its time left, rounded up, in minutes once long', () => {
    expect(pauseLeft(20_000, 0)).toBe('20 s')
    expect(pauseLeft(20_000, 19_900)).toBe('1 s')
    expect(pauseLeft(300_000, 0)).toBe('5:00')
    expect(pauseLeft(235_000, 0)).toBe('3:55')
  })
  it('reads "Waiting to send", as every place that names the state does', () => {
    expect(waitingLine(1)).toBe('Waiting to send · next in line')
    expect(waitingLine(3)).toBe('Waiting to send · 3rd in line')
  })
})

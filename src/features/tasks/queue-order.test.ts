// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { QueueItem } from '../../db/db'
import { nextToSend, sendingOrder } from './queue-order'

const item = (id: string, createdAt: number, over: Partial<QueueItem> = {}): QueueItem => ({
  id,
  createdAt,
  provider: 'local',
  request: { modelId: 'm', params: {}, frames: {} },
  state: 'queued',
  attempts: 0,
  ...over,
})
const sweep = (id: string, createdAt: number, over: Partial<QueueItem> = {}) => item(id, createdAt, { experimentId: 'exp', ...over })

describe('sendingOrder (which waiting item goes next)', () => {
  it.each<[string, QueueItem[], string[], string[]?]>([
    ['nothing waiting', [], []],
    ['sweep items keep their order', [sweep('s2', 2), sweep('s1', 1), sweep('s3', 3)], ['s1', 's2', 's3']],
    ['a Generate goes ahead of the sweep', [sweep('s1', 1), sweep('s2', 2), sweep('s3', 3), item('g', 4)], ['g', 's1', 's2', 's3']],
    ['a Retry of a single task too', [sweep('s1', 1), item('r', 5, { retryOf: 't1' }), sweep('s2', 2)], ['r', 's1', 's2']],
    ['a Re-run on the board waits with its sweep', [sweep('s1', 1), sweep('rr', 5, { retryOf: 't1' }), item('g', 6)], ['g', 's1', 'rr']],
    ['single runs among themselves: oldest first', [item('g2', 7), sweep('s1', 1), item('g1', 3)], ['g1', 'g2', 's1']],
    [
      'only what may be claimed: not out, failed or cancelled',
      [item('out', 1, { state: 'sending' }), item('bad', 2, { state: 'failed' }), item('gone', 3, { cancelled: true }), sweep('s1', 4)],
      ['s1'],
    ],
    ['a send a reload cut short goes first', [item('g', 2), sweep('s1', 1), sweep('cut', 3)], ['cut', 'g', 's1'], ['cut']],
  ])('%s', (_, items, order, recovered) => {
    const set = new Set(recovered)
    expect(sendingOrder(items, set).map((i) => i.id)).toEqual(order)
    expect(nextToSend(items, set)?.id).toBe(order[0])
  })
})

import { describe, expect, it } from 'vitest'
import type { QueuePlan } from './queue-channel'
import { queueStatusWords } from './queue-status'
import { waitWords } from './queue-words'

const NOW = 1_000_000
const plan = (over: Partial<QueuePlan> = {}): QueuePlan => ({
  at: NOW,
  waiting: [
    { id: 'a', sendsAt: NOW + 12_000 },
    { id: 'b', sendsAt: NOW + 20_500 },
  ],
  reason: 'window',
  limit: 10,
  ...over,
})

describe('waitWords (the Generate status line while queued)', () => {
  it.each([
    ['the rate window', plan(), 'a', 'Queued: sends in 12 s (10 requests per minute)'],
    ['seconds round up', plan(), 'b', 'Queued: sends in 21 s (10 requests per minute)'],
    ['a 429 pause, first in line', plan({ reason: 'paused', pausedBy: 'jiekou' }), 'a', 'Waiting: jiekou.ai asked us to wait 12 s'],
    ['a 429 pause, later in line', plan({ reason: 'paused', pausedBy: 'jiekou' }), 'b', 'Queued: sends in 21 s (10 requests per minute)'],
    ['one request per minute', plan({ limit: 1 }), 'a', 'Queued: sends in 12 s (1 request per minute)'],
    ['its turn: "Sending…" is said instead', plan({ waiting: [{ id: 'a', sendsAt: NOW }] }), 'a', undefined],
    ['not waiting (being sent)', plan({ sending: 'c' }), 'c', undefined],
  ])('%s', (_, p, id, words) => {
    expect(waitWords(p, id, NOW)).toBe(words)
  })
})

describe('queueStatusWords (the task strip line)', () => {
  it.each([
    ['nothing queued', { queued: 0, sending: false, failed: 0 }, plan({ waiting: [] }), undefined],
    ['waiting, next in', { queued: 7, sending: false, failed: 0 }, plan(), '7 waiting to send · next in 12 s'],
    ['sending and waiting', { queued: 2, sending: true, failed: 0 }, plan(), 'Sending a request · 2 waiting to send · next in 12 s'],
    [
      'paused by a 429',
      { queued: 3, sending: false, failed: 0 },
      plan({ reason: 'paused', waiting: [{ id: 'a', sendsAt: NOW + 20_000 }] }),
      'Paused for 20 s: the provider asked us to slow down (429) · 3 waiting',
    ],
    ['due now', { queued: 1, sending: false, failed: 0 }, plan({ waiting: [{ id: 'a', sendsAt: NOW }] }), '1 waiting to send'],
    ['failed sweep requests', { queued: 0, sending: false, failed: 2 }, undefined, '2 sweep requests not sent'],
    ['no plan heard yet', { queued: 4, sending: false, failed: 0 }, undefined, '4 waiting to send'],
  ])('%s', (_, counts, p, words) => {
    expect(queueStatusWords(counts, p, NOW)).toBe(words)
  })
})

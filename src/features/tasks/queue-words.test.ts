// @vitest-environment node
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
    ['the rate window', plan(), 'a', 'Queued: sends in 12 s (10 requests per minute)', 'Queued: sends in about 10 s'],
    [
      'offline: no countdown, the reason',
      plan({ reason: 'offline', waiting: [{ id: 'a', sendsAt: Number.POSITIVE_INFINITY }] }),
      'a',
      'Offline: sends when the network is back',
      'Offline: sends when the network is back',
    ],
    ['seconds round up', plan(), 'b', 'Queued: sends in 21 s (10 requests per minute)', 'Queued: sends in about 20 s'],
    [
      'a 429 pause, first in line',
      plan({ reason: 'paused', pausedBy: 'jiekou', pauseCause: 'rate-limit' }),
      'a',
      'Waiting: jiekou.ai asked us to wait 12 s',
      'Paused by the provider',
    ],
    [
      'a pause after a passing failure',
      plan({ reason: 'paused', pausedBy: 'local', pauseCause: 'trouble' }),
      'a',
      'Waiting: The local engine did not answer; trying again in 12 s',
      'Paused: The local engine did not answer',
    ],
    [
      'a 429 pause, later in line',
      plan({ reason: 'paused', pausedBy: 'jiekou' }),
      'b',
      'Queued: sends in 21 s (10 requests per minute)',
      'Queued: sends in about 20 s',
    ],
    ['one request per minute', plan({ limit: 1 }), 'a', 'Queued: sends in 12 s (1 request per minute)', 'Queued: sends in about 10 s'],
    [
      'a short wait is said to the second',
      plan({ waiting: [{ id: 'a', sendsAt: NOW + 7000 }] }),
      'a',
      expect.any(String),
      'Queued: sends in about 7 s',
    ],
    [
      'a wait of minutes reads as m:ss (7 sweep requests ahead at 2 per minute)',
      plan({ limit: 2, waiting: [{ id: 'a', sendsAt: NOW + 235_000 }] }),
      'a',
      'Queued: sends in 3:55 (2 requests per minute)',
      'Queued: sends in about 4 minutes',
    ],
    [
      'a minute exactly',
      plan({ waiting: [{ id: 'a', sendsAt: NOW + 59_200 }] }),
      'a',
      'Queued: sends in 1:00 (10 requests per minute)',
      'Queued: sends in about 1 minute',
    ],
    [
      'just under a minute stays in seconds',
      plan({ waiting: [{ id: 'a', sendsAt: NOW + 59_000 }] }),
      'a',
      'Queued: sends in 59 s (10 requests per minute)',
      'Queued: sends in about 60 s',
    ],
    [
      'a long 429 pause',
      plan({ reason: 'paused', pausedBy: 'jiekou', pauseCause: 'rate-limit', waiting: [{ id: 'a', sendsAt: NOW + 120_000 }] }),
      'a',
      'Waiting: jiekou.ai asked us to wait 2:00',
      'Paused by the provider',
    ],
  ])('%s', (_, p, id, shown, said) => {
    expect(waitWords(p, id, NOW)).toEqual({ shown, said })
  })

  it.each([
    ['its turn: "Sending…" is said instead', plan({ waiting: [{ id: 'a', sendsAt: NOW }] }), 'a'],
    ['not waiting (being sent)', plan({ sending: 'c' }), 'c'],
  ])('%s', (_, p, id) => {
    expect(waitWords(p, id, NOW)).toBeUndefined()
  })
})

describe('queueStatusWords (the task strip line)', () => {
  it.each([
    ['nothing queued', { queued: 0, sending: false, failed: 0 }, plan({ waiting: [] }), undefined, undefined],
    ['waiting, next in', { queued: 7, sending: false, failed: 0 }, plan(), '7 waiting to send · next in 12 s', '7 waiting to send'],
    [
      'offline',
      { queued: 2, sending: false, failed: 0 },
      plan({ reason: 'offline', waiting: [{ id: 'a', sendsAt: Number.POSITIVE_INFINITY }] }),
      '2 waiting to send when the network is back',
      '2 waiting to send when the network is back',
    ],
    [
      'sending and waiting',
      { queued: 2, sending: true, failed: 0 },
      plan(),
      'Sending a request · 2 waiting to send · next in 12 s',
      'Sending a request · 2 waiting to send',
    ],
    [
      'paused by a 429',
      { queued: 3, sending: false, failed: 0 },
      plan({ reason: 'paused', waiting: [{ id: 'a', sendsAt: NOW + 20_000 }] }),
      'Paused for 20 s: the provider asked us to slow down (429) · 3 waiting',
      'Paused by the provider · 3 waiting',
    ],
    [
      'paused after a passing failure',
      { queued: 3, sending: false, failed: 0 },
      plan({ reason: 'paused', pauseCause: 'trouble', waiting: [{ id: 'a', sendsAt: NOW + 20_000 }] }),
      'Paused for 20 s: the provider did not answer, trying again · 3 waiting',
      'Paused: the provider did not answer · 3 waiting',
    ],
    [
      'due now',
      { queued: 1, sending: false, failed: 0 },
      plan({ waiting: [{ id: 'a', sendsAt: NOW }] }),
      '1 waiting to send',
      '1 waiting to send',
    ],
    [
      'failed sweep requests',
      { queued: 0, sending: false, failed: 2 },
      undefined,
      '2 sweep requests not sent',
      '2 sweep requests not sent',
    ],
    [
      'next in minutes: m:ss',
      { queued: 7, sending: false, failed: 0 },
      plan({ waiting: [{ id: 'a', sendsAt: NOW + 65_000 }] }),
      '7 waiting to send · next in 1:05',
      '7 waiting to send',
    ],
    [
      'a long pause: m:ss',
      { queued: 3, sending: false, failed: 0 },
      plan({ reason: 'paused', waiting: [{ id: 'a', sendsAt: NOW + 90_000 }] }),
      'Paused for 1:30: the provider asked us to slow down (429) · 3 waiting',
      'Paused by the provider · 3 waiting',
    ],
    ['no plan heard yet', { queued: 4, sending: false, failed: 0 }, undefined, '4 waiting to send', '4 waiting to send'],
  ])('%s', (_, counts, p, shown, said) => {
    expect(queueStatusWords(counts, p, NOW)).toEqual(shown === undefined ? undefined : { shown, said })
  })

  it('what is said does not tick with the countdown', () => {
    const counts = { queued: 3, sending: true, failed: 0 }
    const at = (now: number) => queueStatusWords(counts, plan(), now)
    expect(at(NOW)?.shown).not.toBe(at(NOW + 3000)?.shown)
    expect(at(NOW)?.said).toBe(at(NOW + 3000)?.said)
  })
})

// @vitest-environment node
import { describe, expect, it } from 'vitest'
import type { QueueItem } from '../../db/db'
import { queueStatusWords, waitWords } from './queue-words'

const NOW = 1_000_000
let n = 0
const item = (over: Partial<QueueItem> = {}): QueueItem => ({
  id: `r${++n}`,
  createdAt: n,
  provider: 'local',
  request: { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'x' }, frames: {} },
  priority: 'single',
  state: 'queued',
  attempts: 0,
  ...over,
})
/** Held back after a 429 (its words say 429) or after a passing fault, until `ms` from now. */
const rateLimited = (ms: number, over: Partial<QueueItem> = {}) =>
  item({ notBefore: NOW + ms, attempts: 1, error: { message: 'The provider is busy', details: undefined, status: 429 }, ...over })
const troubled = (ms: number, over: Partial<QueueItem> = {}) =>
  item({ notBefore: NOW + ms, attempts: 1, error: { message: 'The provider had a problem', details: undefined, status: 503 }, ...over })

describe('waitWords (the Generate status line, once the gateway holds the request)', () => {
  it.each<[string, QueueItem | undefined, string | undefined, string | undefined]>([
    ['not handed over yet: the line says "Sending…"', undefined, undefined, undefined],
    ['waiting its turn', item(), 'Waiting to send', 'Waiting to send'],
    ['going out now is still the wait, by its one name', item({ state: 'sending' }), 'Waiting to send', 'Waiting to send'],
    [
      'held after a 429: who asked, and for how long',
      rateLimited(12_000, { provider: 'jiekou' }),
      'Waiting to send · jiekou.ai asked us to wait 12 s',
      'Waiting to send · paused by the provider',
    ],
    [
      'held after a fault that passes: trying again',
      troubled(75_000),
      'Waiting to send · The local engine did not answer; trying again in 1:15',
      'Waiting to send · The local engine did not answer',
    ],
    ['a hold that has passed is no hold', rateLimited(-1_000), 'Waiting to send', 'Waiting to send'],
    ['sent: the task speaks for it now', item({ state: 'sent', taskRecordId: 'local:t1' }), undefined, undefined],
  ])('%s', (_, queued, shown, said) => {
    const words = waitWords(queued, NOW)
    expect(words?.shown).toBe(shown)
    expect(words?.said).toBe(said)
  })
})

describe('queueStatusWords (the task strip’s queue line)', () => {
  it.each<[string, QueueItem[], string | undefined, string | undefined]>([
    ['an empty queue says nothing', [], undefined, undefined],
    [
      'counts what waits, the one going out included',
      [item({ state: 'sending' }), item(), item()],
      '3 waiting to send',
      '3 waiting to send',
    ],
    [
      "a sweep's failed requests are counted for its board; a single Generate's failure shows under Generate",
      [item(), item({ state: 'failed', experimentId: 'e' }), item({ state: 'failed' })],
      '1 waiting to send · 1 failed',
      '1 waiting to send · 1 failed',
    ],
    [
      'a 429 pause, with its countdown shown but not said',
      [rateLimited(3_000), item()],
      'Paused for 3 s: the provider asked us to slow down (429) · 2 waiting to send',
      'Paused by the provider · 2 waiting to send',
    ],
    [
      'a pause after a fault, the longest hold named',
      [troubled(20_000), rateLimited(5_000)],
      'Paused for 20 s: the provider did not answer, trying again · 2 waiting to send',
      'Paused: the provider did not answer · 2 waiting to send',
    ],
  ])('%s', (_, items, shown, said) => {
    const words = queueStatusWords(items, NOW)
    expect(words?.shown).toBe(shown)
    expect(words?.said).toBe(said)
  })
})

// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ApiError } from '../../api/errors'
import { db } from '../../db/db'
import { cancelWaiting } from '../../db/experiments'
import { enqueue } from '../../db/queue'
import { QueueSendError } from './queue-errors'
import { onQueueMessage, type QueuePlan } from './queue-channel'
import { awaitQueueOutcome } from './queue-outcome'
import { backoffMs } from './submit-queue'
import { fakeLocks, fakeSend, request, start, stopRunners } from './submit-queue.test-kit'

beforeEach(async () => {
  await Promise.all([db.queue.clear(), db.tasks.clear()])
})
afterEach(stopRunners)

describe('the submit queue', () => {
  it('sends in order, and turns each item into its task (sentAt, experiment, cell) in one step', async () => {
    const { sends, send } = fakeSend()
    const items = await enqueue([
      { provider: 'local', request: request('one') },
      { provider: 'local', request: request('two'), experimentId: 'exp-1', cell: { row: 0, col: 1 } },
    ])
    const outcome = awaitQueueOutcome(items[1]!.id).promise
    start({ send })
    const task = await outcome
    expect(sends.map((s) => s.prompt)).toEqual(['one', 'two'])
    expect(task).toMatchObject({ id: `local:task-${items[1]!.id}`, experimentId: 'exp-1', cell: { row: 0, col: 1 } })
    // Stamped as it went out ('sending'), and the task keeps that stamp for the rate window.
    expect(sends[1]!.sentAt).toBeLessThanOrEqual(sends[1]!.at)
    expect(task?.sentAt).toBe(sends[1]!.sentAt)
    await expect.poll(() => db.queue.count()).toBe(0)
    expect(await db.tasks.count()).toBe(2)
  })

  it('never sends more than the limit in any window', async () => {
    const { sends, send } = fakeSend()
    await enqueue(Array.from({ length: 7 }, (_, i) => ({ provider: 'local' as const, request: request(`p${i}`) })))
    start({ send, limit: () => 3, windowMs: 400 })
    await expect.poll(() => db.tasks.count(), { timeout: 5000 }).toBe(7)
    // The window counts when each request was stamped as going out (the real one keeps a margin for the trip).
    const at = sends.map((s) => s.sentAt!)
    for (const t of at) expect(at.filter((u) => u >= t && u < t + 400).length).toBeLessThanOrEqual(3)
    // And no slower than it must be: three windows' worth.
    expect(at.at(-1)! - at[0]!).toBeLessThan(3 * 400)
  })

  it('a 429 puts the item back with the wait the provider asked for, and it is sent after it: the queue never fails it', async () => {
    const { sends, send } = fakeSend((item, n) =>
      n === 1
        ? Promise.reject(new ApiError({ kind: 'http', status: 429, message: 'slow down', retryAfter: 0.3 }))
        : Promise.resolve(`task-${n}`),
    )
    const [item] = await enqueue([{ provider: 'jiekou', request: request('limited'), experimentId: 'exp-2', cell: { row: 0, col: 0 } }])
    start({ send })
    await expect.poll(() => db.queue.get(item!.id)).toMatchObject({ state: 'queued', notBefore: expect.any(Number), attempts: 1 })
    await expect.poll(() => db.tasks.count(), { timeout: 3000 }).toBe(1)
    expect(sends).toHaveLength(2)
    // Sent again with the same item, so with the same Idempotency-Key, and no sooner than asked.
    expect(sends[1]!.id).toBe(item!.id)
    expect(sends[1]!.at - sends[0]!.at).toBeGreaterThanOrEqual(290)
  })

  it('a 429 without Retry-After backs off, doubling up to two minutes', async () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(backoffMs)).toEqual([5000, 10_000, 20_000, 40_000, 80_000, 120_000, 120_000])
    const { send } = fakeSend(() => Promise.reject(new ApiError({ kind: 'http', status: 429, message: 'slow down' })))
    const [item] = await enqueue([{ provider: 'local', request: request('x') }])
    const before = Date.now()
    start({ send })
    await expect.poll(async () => (await db.queue.get(item!.id))?.notBefore ?? 0).toBeGreaterThanOrEqual(before + 5000)
    expect(send).toHaveBeenCalledTimes(1)
  })

  it('another failure fails the item with plain words; its caller is told, and a single item then leaves the queue', async () => {
    const { send } = fakeSend(() =>
      Promise.reject(new ApiError({ kind: 'http', status: 400, reason: 'ILLEGAL_PROMPT', message: 'prompt rejected' })),
    )
    const [single, swept] = await enqueue([
      { provider: 'local', request: request('bad') },
      { provider: 'local', request: request('bad too'), experimentId: 'exp-3', cell: { row: 0, col: 0 } },
    ])
    const outcome = awaitQueueOutcome(single!.id).promise
    start({ send })
    const error = await outcome.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(QueueSendError)
    expect((error as QueueSendError).words).toEqual({
      message: 'The provider refused the prompt. Reword it, then try again.',
      details: 'ILLEGAL_PROMPT (HTTP 400)\nprompt rejected',
    })
    await expect.poll(() => db.queue.get(single!.id)).toBeUndefined()
    // The sweep's item stays, failed, for its board.
    await expect.poll(() => db.queue.get(swept!.id)).toMatchObject({ state: 'failed', error: { message: expect.stringMatching(/prompt/) } })
  })

  it('an item a reload left in "sending" is sent again first, as the same request, and paced like any send', async () => {
    const [first, second] = await enqueue([
      { provider: 'local', request: request('next') },
      { provider: 'local', request: request('cut short') },
    ])
    await db.queue.update(second!.id, { state: 'sending', sentAt: Date.now() - 100, attempts: 1 })
    const { sends, send } = fakeSend()
    start({ send, limit: () => 1, windowMs: 300 })
    await expect.poll(() => db.tasks.count(), { timeout: 3000 }).toBe(2)
    expect(sends.map((s) => s.id)).toEqual([second!.id, first!.id])
    // Its old stamp does not hold the next send back, and its new one does: one send per window.
    expect(sends[0]!.sentAt).toBeGreaterThan(Date.now() - 2000)
    expect(sends[1]!.sentAt! - sends[0]!.sentAt!).toBeGreaterThanOrEqual(300)
  })

  it('a send a reload cut short that reached the gateway is not made again: its task is written from the answer', async () => {
    const [cut] = await enqueue([{ provider: 'local', request: request('arrived'), experimentId: 'exp-5', cell: { row: 1, col: 0 } }])
    await db.queue.update(cut!.id, { state: 'sending', sentAt: 4321, attempts: 1 })
    const asked: string[] = []
    const { send } = fakeSend()
    start({ send, lookup: (item) => (asked.push(item.id), Promise.resolve('task-from-gateway')) })
    await expect
      .poll(() => db.tasks.get('local:task-from-gateway'))
      .toMatchObject({ sentAt: 4321, experimentId: 'exp-5', cell: { row: 1, col: 0 } })
    expect(asked).toEqual([cut!.id])
    expect(send).not.toHaveBeenCalled()
    expect(await db.queue.count()).toBe(0)
  })

  it('two runners (two tabs) never both send: the second waits for the lock', async () => {
    const locks = fakeLocks()
    const a = fakeSend()
    const b = fakeSend()
    await enqueue(Array.from({ length: 4 }, (_, i) => ({ provider: 'local' as const, request: request(`t${i}`) })))
    const first = start({ send: a.send, locks })
    start({ send: b.send, locks })
    await expect.poll(() => db.tasks.count()).toBe(4)
    expect(a.sends).toHaveLength(4)
    expect(b.sends).toHaveLength(0)
    // The first tab closes: the second takes over.
    await first.stop()
    await enqueue([{ provider: 'local', request: request('later') }])
    await expect.poll(() => b.sends.length).toBe(1)
  })

  it('wakes when items are added, and a cancelled item is never sent', async () => {
    const { sends, send } = fakeSend()
    start({ send, limit: () => 1, windowMs: 300 })
    await enqueue([{ provider: 'local', request: request('first') }])
    await expect.poll(() => sends.length).toBe(1)
    await enqueue([
      { provider: 'local', request: request('cancelled'), experimentId: 'exp-4', cell: { row: 0, col: 0 } },
      { provider: 'local', request: request('kept') },
    ])
    expect((await cancelWaiting('exp-4')).removed).toHaveLength(1)
    await expect.poll(() => sends.length, { timeout: 3000 }).toBe(2)
    expect(sends.map((s) => s.prompt)).toEqual(['first', 'kept'])
  })

  it('a Generate goes ahead of the sweep requests that wait, at the same pace', async () => {
    const { sends, send } = fakeSend()
    const plans: QueuePlan[] = []
    const unlisten = onQueueMessage((m) => m.type === 'plan' && plans.push(m.plan))
    const sweep = (i: number) => ({
      provider: 'local' as const,
      request: request(`s${i}`),
      experimentId: 'exp-6',
      cell: { row: 0, col: i },
    })
    await enqueue([sweep(1), sweep(2), sweep(3)])
    start({ send, limit: () => 1, windowMs: 300 })
    await expect.poll(() => sends.length).toBe(1)
    // Three sweep items were waiting (one now sent); the designer presses Generate.
    const [generate] = await enqueue([{ provider: 'local', request: request('generate') }])
    await expect.poll(() => plans.at(-1)?.waiting[0]?.id).toBe(generate!.id)
    await expect.poll(() => sends.length, { timeout: 3000 }).toBe(2)
    expect(sends[1]!.prompt).toBe('generate')
    // Still one send per window: the Generate waited for the window like any send.
    expect(sends[1]!.sentAt! - sends[0]!.sentAt!).toBeGreaterThanOrEqual(300)
    await expect.poll(() => sends.length, { timeout: 3000 }).toBe(4)
    expect(sends.map((s) => s.prompt)).toEqual(['s1', 'generate', 's2', 's3'])
    unlisten()
  })

  it("a sweep item's 429 pauses a Generate too", async () => {
    const { sends, send } = fakeSend((item, n) =>
      n === 1
        ? Promise.reject(new ApiError({ kind: 'http', status: 429, message: 'slow down', retryAfter: 0.4 }))
        : Promise.resolve(`task-${item.id}`),
    )
    await enqueue([{ provider: 'local', request: request('swept'), experimentId: 'exp-7', cell: { row: 0, col: 0 } }])
    start({ send })
    await expect.poll(() => sends.length).toBe(1)
    await enqueue([{ provider: 'local', request: request('generate') }])
    await expect.poll(() => sends.length, { timeout: 3000 }).toBe(3)
    expect(sends.map((s) => s.prompt)).toEqual(['swept', 'generate', 'swept'])
    expect(sends[1]!.at - sends[0]!.at).toBeGreaterThanOrEqual(390)
  })
})

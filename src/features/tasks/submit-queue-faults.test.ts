import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ApiError } from '../../api/errors'
import { db } from '../../db/db'
import { cancelWaiting } from '../../db/experiments'
import { enqueue } from '../../db/queue'
import { claimQueueItem } from '../../db/queue-runner'
import { QueueSendError } from './queue-errors'
import { awaitQueueOutcome } from './queue-outcome'
import { QUEUE_CHANNEL, type QueueMessage } from './queue-channel'
import { channelLocks } from './queue-election'
import { MAX_TROUBLED_SENDS } from './submit-queue'
import { deferred, fakeSend, request, start, stopRunners } from './submit-queue.test-kit'

/* The submit queue when things go wrong: a cancel while a request is out, a dropped connection, a page that goes. */

const swept = (prompt: string, col = 0) => ({
  provider: 'local' as const,
  request: request(prompt),
  experimentId: 'exp-f',
  cell: { row: 0, col },
})
const network = () => new ApiError({ kind: 'network', message: 'Could not reach the gateway.' })
const unavailable = () => new ApiError({ kind: 'http', status: 503, message: 'upstream down' })
const limited = () => new ApiError({ kind: 'http', status: 429, message: 'slow down', retryAfter: 0.05 })
const fast = { backoff: () => 20 }

beforeEach(async () => {
  await Promise.all([db.queue.clear(), db.tasks.clear()])
})
afterEach(stopRunners)

describe('Cancel sweep while a request is out', () => {
  it.each([
    ['a 429', limited],
    ['a passing failure', unavailable],
    ['a refusal', () => new ApiError({ kind: 'http', status: 400, message: 'no' })],
  ])('after %s the item leaves the queue and is never sent again', async (_, error) => {
    const out = deferred<string>()
    const { send } = fakeSend((item, n) => (n === 1 ? out.promise : Promise.resolve(`task-${item.id}`)))
    const [item] = await enqueue([swept('in flight')])
    start({ send, ...fast })
    await expect.poll(() => db.queue.get(item!.id)).toMatchObject({ state: 'sending' })
    expect((await cancelWaiting('exp-f')).removed).toHaveLength(0)
    expect(await db.queue.get(item!.id)).toMatchObject({ state: 'sending', cancelled: true })
    out.reject(error())
    await expect.poll(() => db.queue.count()).toBe(0)
    // Nothing comes back to send it: new work wakes the runner, and only that is sent.
    await enqueue([{ provider: 'local', request: request('later') }])
    await expect.poll(() => db.tasks.count()).toBe(1)
    expect(send.mock.calls.map(([i]) => i.request.params.prompt)).toEqual(['in flight', 'later'])
  })

  it('a success still becomes its task: the provider has the work', async () => {
    const out = deferred<string>()
    const [item] = await enqueue([swept('made anyway')])
    start({ send: () => out.promise })
    await expect.poll(() => db.queue.get(item!.id)).toMatchObject({ state: 'sending' })
    await cancelWaiting('exp-f')
    out.resolve('task-made')
    await expect.poll(() => db.tasks.get('local:task-made')).toMatchObject({ experimentId: 'exp-f' })
    expect(await db.queue.count()).toBe(0)
  })

  it('a cancelled send a reload cut short is looked up, and dropped when it never arrived', async () => {
    const [item] = await enqueue([swept('cut and cancelled')])
    await db.queue.update(item!.id, { state: 'sending', sentAt: Date.now(), attempts: 1, cancelled: true })
    const { send } = fakeSend()
    let asked = 0
    start({ send, lookup: () => (asked++, Promise.resolve(undefined)) })
    await expect.poll(() => db.queue.count()).toBe(0)
    expect(asked).toBe(1)
    expect(send).not.toHaveBeenCalled()
  })
})

describe('passing failures (network, timeout, 5xx)', () => {
  it('a sweep item waits and goes again with the same key; after a dropped connection the gateway is asked first', async () => {
    const { sends, send } = fakeSend((_, n) => (n === 1 ? Promise.reject(network()) : Promise.resolve('task-second')))
    const asked: string[] = []
    const [item] = await enqueue([swept('flaky')])
    start({ send, lookup: (i) => (asked.push(i.id), Promise.resolve(undefined)), ...fast })
    await expect.poll(() => db.tasks.get('local:task-second')).toBeDefined()
    expect(sends.map((s) => s.id)).toEqual([item!.id, item!.id])
    expect(asked).toEqual([item!.id])
  })

  it('when the gateway had it, its answer becomes the task and nothing is sent again', async () => {
    const { send } = fakeSend(() => Promise.reject(new ApiError({ kind: 'timeout', message: 'too slow' })))
    const [item] = await enqueue([swept('slow')])
    start({ send, lookup: () => Promise.resolve('task-arrived'), ...fast })
    await expect.poll(() => db.tasks.get('local:task-arrived')).toMatchObject({ experimentId: 'exp-f' })
    expect(send).toHaveBeenCalledTimes(1)
    expect(await db.queue.get(item!.id)).toBeUndefined()
  })

  it(`a sweep item fails with plain words after ${MAX_TROUBLED_SENDS} sends, and is not asked about after a 5xx`, async () => {
    const { send } = fakeSend(() => Promise.reject(unavailable()))
    let asked = 0
    const [item] = await enqueue([swept('down')])
    start({ send, lookup: () => (asked++, Promise.resolve(undefined)), ...fast })
    await expect
      .poll(() => db.queue.get(item!.id), { timeout: 3000 })
      .toMatchObject({ state: 'failed', error: { message: 'The provider had a problem. Try again in a moment.' } })
    expect(send).toHaveBeenCalledTimes(MAX_TROUBLED_SENDS)
    expect(asked).toBe(0)
  })

  it('a single Generate that finds no gateway waits (that is being offline), and asks the gateway before sending again', async () => {
    // The client marks the gateway unreachable when a request finds none; here the fake send does.
    let online = true
    let wake = () => {}
    const { sends, send } = fakeSend((_, n) => (n === 1 ? ((online = false), Promise.reject(network())) : Promise.resolve('task-back')))
    const asked: string[] = []
    const [item] = await enqueue([{ provider: 'local', request: request('now') }])
    const outcome = awaitQueueOutcome(item!.id).promise
    start({
      send,
      lookup: (i) => (asked.push(i.id), Promise.resolve(undefined)),
      online: () => online,
      onConnectivity: (onChange) => ((wake = onChange), () => {}),
      ...fast,
    })
    await expect.poll(() => db.queue.get(item!.id)).toMatchObject({ state: 'queued', trouble: { failures: 0, lookup: true } })
    expect(sends).toHaveLength(1)
    expect(asked).toEqual([])
    online = true
    wake()
    expect(await outcome).toMatchObject({ taskId: 'task-back' })
    expect(asked).toEqual([item!.id])
    expect(sends).toHaveLength(2)
  })

  it('a single Generate is told at once about a 5xx, and its item leaves the queue', async () => {
    const { send } = fakeSend(() => Promise.reject(unavailable()))
    const [item] = await enqueue([{ provider: 'local', request: request('now') }])
    const outcome = awaitQueueOutcome(item!.id).promise.catch((e: unknown) => e)
    start({ send, ...fast })
    expect(await outcome).toBeInstanceOf(QueueSendError)
    expect(((await outcome) as QueueSendError).words.message).toMatch(/provider had a problem/)
    await expect.poll(() => db.queue.count()).toBe(0)
    expect(send).toHaveBeenCalledTimes(1)
  })
})

describe('a page that goes, or comes back', () => {
  it('a send that succeeds after the runner stopped still writes its task', async () => {
    const out = deferred<string>()
    const [item] = await enqueue([swept('late answer')])
    const runner = start({ send: () => out.promise })
    await expect.poll(() => db.queue.get(item!.id)).toMatchObject({ state: 'sending' })
    const stopping = runner.stop()
    out.resolve('task-late')
    await stopping
    expect(await db.tasks.get('local:task-late')).toBeDefined()
    expect(await db.queue.count()).toBe(0)
  })

  it('a failure after the page went writes nothing: the next page looks the send up', async () => {
    const out = deferred<string>()
    const [item] = await enqueue([swept('cut')])
    const runner = start({ send: () => out.promise, ...fast })
    await expect.poll(() => db.queue.get(item!.id)).toMatchObject({ state: 'sending' })
    globalThis.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }))
    out.reject(network())
    // stop() settles once the loop is over, the failed send included.
    await runner.stop()
    expect(await db.queue.get(item!.id)).toMatchObject({ state: 'sending', attempts: 1 })
  })

  it('a page kept in the back/forward cache carries on sending when it is shown again', async () => {
    const { sends, send } = fakeSend()
    start({ send })
    globalThis.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }))
    globalThis.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))
    await enqueue([{ provider: 'local', request: request('after the cache') }])
    await expect.poll(() => sends.length).toBe(1)
  })
})

describe('offline', () => {
  it('sends nothing while offline, says so, and sends by itself when the network is back', async () => {
    const { sends, send } = fakeSend()
    let online = false
    const plans: string[] = []
    const listen = new BroadcastChannel(QUEUE_CHANNEL)
    listen.addEventListener('message', (e: MessageEvent<QueueMessage>) => {
      if (e.data.type === 'plan') plans.push(e.data.plan.reason)
    })
    start({ send, online: () => online })
    await enqueue([{ provider: 'local', request: request('while offline') }])
    await expect.poll(() => plans.includes('offline')).toBe(true)
    expect(sends).toHaveLength(0)
    online = true
    globalThis.dispatchEvent(new Event('online'))
    await expect.poll(() => sends.length).toBe(1)
    listen.close()
  })
})

describe('one runner among the tabs', () => {
  it('an item already out is never claimed again', async () => {
    const [item] = await enqueue([{ provider: 'local', request: request('out') }])
    expect(await claimQueueItem(item!.id)).toMatchObject({ state: 'sending' })
    expect(await claimQueueItem(item!.id)).toBeUndefined()
  })

  it('without Web Locks, the tabs elect one runner over a BroadcastChannel; the next takes over when it stops', async () => {
    const name = `election-${crypto.randomUUID()}`
    const shared = () => channelLocks({ answerMs: 30, recheckMs: 60 }, name)
    const a = fakeSend()
    const b = fakeSend()
    await enqueue(Array.from({ length: 4 }, (_, i) => ({ provider: 'local' as const, request: request(`t${i}`) })))
    const first = start({ send: a.send, locks: shared() })
    const second = start({ send: b.send, locks: shared() })
    await expect.poll(() => db.tasks.count()).toBe(4)
    // Exactly one of them sent everything.
    expect([a.sends.length, b.sends.length].sort()).toEqual([0, 4])
    const [winner, other] = a.sends.length ? [first, b] : [second, a]
    await winner.stop()
    await enqueue([{ provider: 'local', request: request('later') }])
    await expect.poll(() => other.sends.length).toBe(1)
  })
})

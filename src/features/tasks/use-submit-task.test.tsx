import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ApiError, describeError } from '../../api/errors'
import { db, type QueueItem, type StoredRequest } from '../../db/db'
import { deliver, type QueuePlan } from './queue-channel'
import { SENDER_TROUBLE, setSenderTrouble } from './sender-state'
import { startSubmitQueue, type SubmitQueue } from './submit-queue'
import { useSubmitTask } from './use-submit-task'

/* Generate through the queue: the hook enqueues, the runner (with a fake provider) sends, the hook hears the outcome. */

const request: StoredRequest = { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'a kite' }, frames: {} }
const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={new QueryClient()}>{children}</QueryClientProvider>

let runner: SubmitQueue | undefined
const run = (send: (item: QueueItem) => Promise<string>) => {
  runner = startSubmitQueue({ send, limit: () => 10, windowMs: 60_000, locks: undefined })
}

beforeEach(async () => {
  await Promise.all([db.queue.clear(), db.tasks.clear()])
})
afterEach(async () => {
  await runner?.stop()
  runner = undefined
})

describe('useSubmitTask', () => {
  it('resolves with the task the queue made, and leaves the queue empty', async () => {
    run((item) => Promise.resolve(`t-${item.id}`))
    const { result } = renderHook(() => useSubmitTask(), { wrapper })
    let task: Awaited<ReturnType<typeof result.current.send>>
    await act(async () => {
      task = await result.current.send(request)
    })
    expect(task!).toMatchObject({ provider: 'local', request, status: 'TASK_STATUS_QUEUED' })
    expect(await db.queue.count()).toBe(0)
    expect(result.current.errorWords).toBeUndefined()
  })

  it('a refused send shows the same words as before the queue, and its item does not linger', async () => {
    const refusal = new ApiError({ kind: 'http', status: 400, reason: 'INVALID_REQUEST_BODY', message: 'duration_seconds must be 8' })
    run(() => Promise.reject(refusal))
    const { result } = renderHook(() => useSubmitTask(), { wrapper })
    await act(async () => {
      await result.current.send(request).catch(() => {})
    })
    expect(result.current.errorWords).toEqual(describeError(refusal))
    await waitFor(async () => expect(await db.queue.count()).toBe(0))
  })

  it('one press makes one task: a second press while the first waits sends nothing', async () => {
    let sends = 0
    run((item) => {
      sends++
      return Promise.resolve(`t-${item.id}`)
    })
    const { result } = renderHook(() => useSubmitTask(), { wrapper })
    await act(async () => {
      const first = result.current.send(request)
      await expect(result.current.send(request)).resolves.toBeUndefined()
      await first
    })
    expect(sends).toBe(1)
    expect(await db.tasks.count()).toBe(1)
  })

  it('while queued, the countdown is shown and the state is said once; a runner that cannot load is said plainly', async () => {
    const { result } = renderHook(() => useSubmitTask(), { wrapper })
    // No runner: the press waits in the queue, and the test plays the runner's plans.
    act(() => void result.current.send(request).catch(() => {}))
    await waitFor(async () => expect(await db.queue.count()).toBe(1))
    const id = (await db.queue.toArray())[0]!.id
    const plan = (sendsIn: number, over: Partial<QueuePlan> = {}): QueuePlan => ({
      at: Date.now(),
      waiting: [{ id, sendsAt: Date.now() + sendsIn }],
      reason: 'window',
      limit: 10,
      ...over,
    })
    act(() => deliver({ type: 'plan', plan: plan(40_000) }))
    await waitFor(() => expect(result.current.waitWords?.said).toBe('Queued: sends in about 40 s'))
    act(() => deliver({ type: 'plan', plan: plan(33_000) }))
    await waitFor(() => expect(result.current.waitWords?.shown).toMatch(/^Queued: sends in 3[34] s \(10 requests per minute\)$/))
    expect(result.current.waitWords?.said).toBe('Queued: sends in about 40 s')
    act(() => deliver({ type: 'plan', plan: plan(20_000, { reason: 'paused', pausedBy: 'local', pauseCause: 'rate-limit' }) }))
    await waitFor(() => expect(result.current.waitWords?.said).toBe('Paused by the provider'))
    expect(result.current.waitWords?.shown).toMatch(/^Waiting: The local engine asked us to wait 2[01] s$/)
    act(() => setSenderTrouble(true))
    expect(result.current.waitWords).toEqual({ shown: SENDER_TROUBLE, said: SENDER_TROUBLE })
    act(() => setSenderTrouble(false))
  })
})

import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, cleanup, render } from '@testing-library/react'
import { useEffect } from 'react'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { useConnectionActions } from '../../api/connection-store'
import { db, type TaskRecord } from '../../db/db'
import { taskResultWire } from '../../../testing/task-result'
import { TaskPollers } from './task-poller'

/* The pollers against a provider on msw: what they write to the task records. */

const origin = globalThis.location.origin
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

const task: TaskRecord = {
  id: 'jiekou:t1',
  provider: 'jiekou',
  taskId: 't1',
  request: { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'a kite' }, frames: {} },
  createdAt: 0,
  status: 'TASK_STATUS_QUEUED',
  reason: '',
}
const keysSeen: (string | null)[] = []
let setKey: ReturnType<typeof useConnectionActions>['setApiKey'] = () => {}
function KeyHandle() {
  const { setApiKey } = useConnectionActions()
  useEffect(() => void (setKey = setApiKey), [setApiKey])
  return null
}

beforeEach(async () => {
  keysSeen.length = 0
  await db.tasks.clear()
  await db.tasks.add(task)
})
afterEach(cleanup)

describe('TaskPollers', () => {
  it('a task stopped by a refused key is checked again, by itself, once the key is changed in Settings', async () => {
    server.use(
      http.get(`${origin}/api/jiekou/v3/async/task-result`, ({ request }) => {
        const auth = request.headers.get('authorization')
        keysSeen.push(auth)
        return auth === 'Bearer good-key'
          ? HttpResponse.json(taskResultWire({ task: { task_id: 't1', status: 'TASK_STATUS_FAILED', reason: 'stub' } }))
          : HttpResponse.json({ code: 403, reason: 'INVALID_API_KEY', message: 'invalid api-key', metadata: {} }, { status: 403 })
      }),
    )
    render(
      <QueryClientProvider client={new QueryClient()}>
        <KeyHandle />
        <TaskPollers />
      </QueryClientProvider>,
    )
    await expect.poll(() => keysSeen.length).toBe(1)
    // Refused: polling stops (the rule returns false), the record is still running.
    expect((await db.tasks.get(task.id))?.finishedAt).toBeUndefined()

    act(() => setKey('good-key', false))
    await expect.poll(async () => (await db.tasks.get(task.id))?.status).toBe('TASK_STATUS_FAILED')
    expect(keysSeen).toEqual([null, 'Bearer good-key'])
  })

  it('TASK_NOT_FOUND marks the task lost, with the reason, and it is never polled again', async () => {
    let polls = 0
    server.use(
      http.get(`${origin}/api/jiekou/v3/async/task-result`, () => {
        polls++
        return HttpResponse.json({ code: 404, reason: 'TASK_NOT_FOUND', message: 'task not found', metadata: {} }, { status: 404 })
      }),
    )
    render(
      <QueryClientProvider client={new QueryClient()}>
        <TaskPollers />
      </QueryClientProvider>,
    )
    await expect.poll(async () => (await db.tasks.get(task.id))?.lost).toBe(true)
    expect(await db.tasks.get(task.id)).toMatchObject({
      status: 'TASK_STATUS_FAILED',
      reason: expect.stringMatching(/^the provider no longer knows this task .*Retry sends the request again as a new task\.$/),
    })
    expect(polls).toBe(1)
  })

  it('a 404 that is not the provider saying TASK_NOT_FOUND (a proxy in the way) does not make the task lost', async () => {
    let polls = 0
    server.use(
      http.get(`${origin}/api/jiekou/v3/async/task-result`, () => {
        polls++
        return HttpResponse.json({ code: 404, reason: 'NOT_FOUND', message: 'no such route', metadata: {} }, { status: 404 })
      }),
    )
    render(
      <QueryClientProvider client={new QueryClient()}>
        <TaskPollers />
      </QueryClientProvider>,
    )
    await expect.poll(() => polls).toBe(1)
    // Let the poller's effects run after the answer: the record stays running, not lost.
    await expect.poll(async () => (await db.tasks.get(task.id))?.lost).toBeUndefined()
    expect((await db.tasks.get(task.id))?.finishedAt).toBeUndefined()
  })
})

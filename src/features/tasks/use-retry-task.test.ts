import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, renderHook } from '@testing-library/react'
import { createElement, type ReactNode } from 'react'
import { describe, expect, it, vi } from 'vitest'
import type { TaskRecord } from '../../db/db'
import { useRetryTask } from './use-retry-task'
import { sendRequest } from './use-submit-task'

vi.mock('./use-submit-task', async (actual) => ({
  ...(await actual<typeof import('./use-submit-task')>()),
  sendRequest: vi.fn<typeof sendRequest>(),
}))
const send = vi.mocked(sendRequest)

const failed: TaskRecord = {
  id: 'local:t1',
  provider: 'local',
  taskId: 't1',
  request: { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'x' }, frames: {} },
  createdAt: 0,
  status: 'TASK_STATUS_FAILED',
  reason: 'boom',
  finishedAt: 1,
}

const wrapper = ({ children }: { children: ReactNode }) => createElement(QueryClientProvider, { client: new QueryClient() }, children)
const renderRetry = () => renderHook(() => useRetryTask(), { wrapper })

/** A send the test settles by hand. */
function pendingSend() {
  let settle!: { resolve(task: TaskRecord): void; reject(e: unknown): void }
  send.mockImplementationOnce(() => new Promise((resolve, reject) => (settle = { resolve, reject })))
  return () => settle
}

describe('useRetryTask', () => {
  it('shows the retry on its own task while it is sent, and one press makes one task', async () => {
    send.mockReset()
    const settle = pendingSend()
    const { result } = renderRetry()
    let first!: Promise<void>
    act(() => {
      first = result.current.retry(failed)
      void result.current.retry(failed)
    })
    expect(result.current.stateOf('local:t1')).toEqual({ sending: true })
    expect(result.current.stateOf('local:t2')).toEqual({})
    await act(async () => {
      settle().resolve({ ...failed, id: 'local:t2' })
      await first
    })
    expect(result.current.stateOf('local:t1')).toEqual({})
    // Sent: a late press (before the card has lost its Retry) sends nothing either.
    await act(() => result.current.retry(failed))
    expect(send).toHaveBeenCalledTimes(1)
  })

  it('says why a retry was not sent, and lets the designer press again', async () => {
    send.mockReset()
    send.mockRejectedValueOnce(new Error('This model is not in the studio any more.'))
    const { result } = renderRetry()
    await act(() => result.current.retry(failed))
    expect(result.current.stateOf('local:t1')).toEqual({
      error: { message: 'This model is not in the studio any more.', details: undefined },
    })
    send.mockResolvedValueOnce({ ...failed, id: 'local:t2' })
    await act(() => result.current.retry(failed))
    expect(send).toHaveBeenCalledTimes(2)
    expect(result.current.stateOf('local:t1')).toEqual({})
  })

  it('a retry taken back before it was sent (Cancel) leaves the task retryable', async () => {
    send.mockReset()
    send.mockResolvedValueOnce(undefined)
    const { result } = renderRetry()
    await act(() => result.current.retry(failed))
    send.mockResolvedValueOnce({ ...failed, id: 'local:t2' })
    await act(() => result.current.retry(failed))
    expect(send).toHaveBeenCalledTimes(2)
  })

  it('never retries a task already sent again', async () => {
    send.mockReset()
    const { result } = renderRetry()
    await act(() => result.current.retry({ ...failed, retriedAs: 'local:t2' }))
    expect(send).not.toHaveBeenCalled()
  })
})

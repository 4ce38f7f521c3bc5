import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { describe, expect, it } from 'vitest'
import { fakeSample, seedSamples, seedTasks, withFakeLibrary, type FakeTask } from '../test/fake-library'
import { useRemainingSampleCounts, useRunningTasks, useTaskActions, useVisibleTasks } from './tasks'

const library = withFakeLibrary()

const task = (id: string, over: Partial<FakeTask> = {}): FakeTask => ({
  id,
  provider: 'local',
  taskId: id.split(':')[1]!,
  request: { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: id }, frames: {} },
  createdAt: 100,
  status: 'TASK_STATUS_QUEUED',
  reason: '',
  dismissed: false,
  ...over,
})

function wrapper() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  return ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>
}

const ids = (list: { id: string }[] | undefined) => list?.map((t) => t.id)

describe('the task strip, read from the gateway', () => {
  it('lists the tasks newest first, without the dismissed ones; the running ones apart', async () => {
    seedTasks(
      task('local:old', { createdAt: 1, status: 'TASK_STATUS_SUCCEED', finishedAt: 5, videoCount: 1 }),
      task('local:hidden', { createdAt: 2, finishedAt: 5, status: 'TASK_STATUS_FAILED', dismissed: true }),
      task('local:new', { createdAt: 3, status: 'TASK_STATUS_PROCESSING', progressPercent: 40 }),
    )
    const { result } = renderHook(() => ({ visible: useVisibleTasks(), running: useRunningTasks() }), { wrapper: wrapper() })
    expect(result.current.visible).toBeUndefined()
    await waitFor(() => expect(ids(result.current.visible)).toEqual(['local:new', 'local:old']))
    expect(ids(result.current.running)).toEqual(['local:new'])
    // The dismissed flag reads as the studio's records have it: unset when false.
    expect(result.current.visible?.[0]?.dismissed).toBeUndefined()
  })

  it("counts each task's videos still in the gallery (a deleted one no longer counts)", async () => {
    seedSamples(
      fakeSample({ id: 'local:a#0' }),
      fakeSample({ id: 'local:a#1', deletedAt: 9 }),
      fakeSample({ id: 'local:b#0' }),
      fakeSample({ id: 'local:b#1' }),
    )
    const { result } = renderHook(() => useRemainingSampleCounts(), { wrapper: wrapper() })
    await waitFor(() => expect(result.current && Object.fromEntries(result.current)).toEqual({ 'local:a': 1, 'local:b': 2 }))
  })
})

describe('what a designer does to tasks', () => {
  it('Dismiss and Clear finished ask the gateway, and the strip changes at once', async () => {
    seedTasks(
      task('local:done', { createdAt: 1, status: 'TASK_STATUS_SUCCEED', finishedAt: 5, videoCount: 1 }),
      task('local:failed', { createdAt: 2, status: 'TASK_STATUS_FAILED', finishedAt: 6 }),
      task('local:running', { createdAt: 3 }),
    )
    const { result } = renderHook(() => ({ visible: useVisibleTasks(), actions: useTaskActions() }), { wrapper: wrapper() })
    await waitFor(() => expect(ids(result.current.visible)).toHaveLength(3))
    await act(() => result.current.actions.dismiss('local:done'))
    await waitFor(() => expect(ids(result.current.visible)).toEqual(['local:running', 'local:failed']))
    let count = 0
    await act(async () => void (count = await result.current.actions.dismissFinished()))
    expect(count).toBe(1)
    await waitFor(() => expect(ids(result.current.visible)).toEqual(['local:running']))
    // Shown from the gateway's answers: the list was not read again.
    expect(library.calls.filter((c) => c.method === 'GET')).toHaveLength(1)
    expect(library.calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([
      '/tasks/local%3Adone/dismiss',
      '/tasks/dismiss-finished',
    ])
  })

  it('Retry on a task whose checking stopped asks the gateway to check it again', async () => {
    seedTasks(task('local:stuck', { stalled: { message: 'The provider had a problem.', at: 1 } }))
    const { result } = renderHook(() => ({ visible: useVisibleTasks(), actions: useTaskActions() }), { wrapper: wrapper() })
    await waitFor(() => expect(result.current.visible?.[0]?.stalled).toBeDefined())
    await act(() => result.current.actions.resume('local:stuck'))
    await waitFor(() => expect(result.current.visible?.[0]?.stalled).toBeUndefined())
    expect(library.calls.at(-1)).toMatchObject({ method: 'POST', path: '/tasks/local%3Astuck/resume' })
  })
})

import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, cleanup, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { db, type TaskRecord } from '../../db/db'
import { TaskCard } from './task-card'
import { taskQueries } from '../../api/queries'
import { taskResult } from '../../../testing/task-result'
import type { RetryState } from './use-retry-task'

const task = (stored: Partial<TaskRecord>): TaskRecord => ({
  id: 'local:t1',
  provider: 'local',
  taskId: 't1',
  request: { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'A kite over the dunes' }, frames: {} },
  createdAt: 0,
  status: 'TASK_STATUS_QUEUED',
  reason: '',
  ...stored,
})

afterEach(async () => {
  await db.delete()
  await db.open()
})

function renderCard(stored: TaskRecord, retry?: RetryState, remaining?: number, client = new QueryClient()) {
  const handlers = {
    onRetry: vi.fn<(task: TaskRecord) => void>(),
    onResumePolling: vi.fn<(task: TaskRecord) => void>(),
    onShowSamples: vi.fn<(task: TaskRecord) => void>(),
    onDismiss: vi.fn<(task: TaskRecord) => void>(),
  }
  render(
    <QueryClientProvider client={client}>
      <TaskCard task={stored} retry={retry} remaining={remaining} {...handlers} />
    </QueryClientProvider>,
  )
  return { card: screen.getByRole('article', { name: 'Task: A kite over the dunes' }), ...handlers }
}

describe('TaskCard', () => {
  it('shows a failed task with its reason, and retries or dismisses it', async () => {
    const failed = task({ status: 'TASK_STATUS_FAILED', reason: 'The prompt was refused.', finishedAt: 75_000 })
    const { card, onRetry, onDismiss } = renderCard(failed)

    expect(within(card).getByRole('status')).toHaveTextContent('Failed: The prompt was refused.')
    expect(within(card).getByText('Veo 3.1')).toBeInTheDocument()
    await userEvent.click(within(card).getByRole('button', { name: 'Retry' }))
    expect(onRetry).toHaveBeenCalledWith(failed)
    await userEvent.click(within(card).getByRole('button', { name: 'Dismiss task' }))
    expect(onDismiss).toHaveBeenCalledWith(failed)
  })

  it('a task polling gave up on needs attention, and its Retry polls again (it sends nothing)', async () => {
    const stalled = task({ stalled: { message: 'The provider had a problem. Try again in a moment.', details: 'HTTP 500', at: 1 } })
    const { card, onRetry, onResumePolling } = renderCard(stalled)
    expect(within(card).getByRole('status')).toHaveTextContent(
      'Needs attention: Checking stopped after 8 failed tries. The provider had a problem. Try again in a moment.',
    )
    await userEvent.click(within(card).getByRole('button', { name: 'Retry' }))
    expect(onResumePolling).toHaveBeenCalledWith(stalled)
    expect(onRetry).not.toHaveBeenCalled()
  })

  it('a task the provider no longer knows is lost, with the reason; Retry sends it again', async () => {
    const lost = task({ status: 'TASK_STATUS_FAILED', lost: true, reason: 'the provider no longer knows this task.', finishedAt: 9 })
    const { card, onRetry } = renderCard(lost)
    expect(within(card).getByRole('status')).toHaveTextContent('Lost: the provider no longer knows this task.')
    await userEvent.click(within(card).getByRole('button', { name: 'Retry' }))
    expect(onRetry).toHaveBeenCalledWith(lost)
  })

  it('the ETA counts down between polls and the bar moves on at its pace; "any moment now" once it has run out', () => {
    const running = task({ createdAt: Date.now() })
    const client = new QueryClient()
    const key = taskQueries.detail({ provider: 'local' }, 't1').queryKey
    client.setQueryData(key, taskResult({ task: { status: 'TASK_STATUS_PROCESSING', progress_percent: 40, eta: 30 } }), {
      updatedAt: Date.now() - 10_000,
    })
    const { card } = renderCard(running, undefined, undefined, client)
    // Ten seconds on, a third of the time left has passed: the bar has moved a third of the way left as well.
    expect(card).toHaveTextContent('60 % · ETA 0:20')
    cleanup()
    const late = new QueryClient()
    late.setQueryData(key, taskResult({ task: { status: 'TASK_STATUS_PROCESSING', progress_percent: 90, eta: 3 } }), {
      updatedAt: Date.now() - 10_000,
    })
    expect(renderCard(running, undefined, undefined, late).card).toHaveTextContent('99 % · any moment now')
  })

  it('offline, a running card says it waits for the network instead of a stale ETA; online again, as before', async () => {
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    const { card } = renderCard(task({ status: 'TASK_STATUS_QUEUED' }))
    expect(card).toHaveTextContent('Queued · offline, waiting for the network')
    onLine.mockReturnValue(true)
    act(() => void window.dispatchEvent(new Event('online')))
    expect(card).not.toHaveTextContent('offline')
    onLine.mockRestore()
  })

  it('offers no second Retry for a task already sent again', () => {
    const { card } = renderCard(task({ status: 'TASK_STATUS_FAILED', reason: 'x', finishedAt: 1, retriedAs: 'local:t2' }))
    expect(within(card).queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument()
  })

  it('shows a finished task with its videos and how long it took', async () => {
    const done = task({ status: 'TASK_STATUS_SUCCEED', videoCount: 2, finishedAt: 75_000 })
    const { card, onShowSamples } = renderCard(done, undefined, 2)

    expect(within(card).getByText(/^✓ 2 videos/)).toHaveTextContent('✓ 2 videos · 1:15')
    expect(within(card).queryByRole('progressbar')).not.toBeInTheDocument()
    await userEvent.click(within(card).getByRole('button', { name: 'Show 2 videos' }))
    expect(onShowSamples).toHaveBeenCalledWith(done)
  })

  it('counts what is left after deletes, and offers no Show once all are gone', () => {
    const done = task({ status: 'TASK_STATUS_SUCCEED', videoCount: 2, finishedAt: 75_000 })
    const one = renderCard(done, undefined, 1)
    expect(within(one.card).getByText(/^✓ 1 of 2 videos/)).toBeInTheDocument()
    expect(within(one.card).getByRole('button', { name: 'Show 1 video' })).toBeInTheDocument()
    cleanup()
    const none = renderCard(done, undefined, 0)
    expect(within(none.card).getByText(/^✓ 2 videos deleted/)).toBeInTheDocument()
    expect(within(none.card).queryByRole('button', { name: /^Show/ })).not.toBeInTheDocument()
  })

  it('wears Local preview when the local engine made it, and only then', () => {
    const { card } = renderCard(task({ provider: 'local' }))
    expect(within(card).getByText('Local preview')).toBeVisible()
    cleanup()
    const veo = renderCard(task({ id: 'jiekou:t1', provider: 'jiekou' }))
    expect(within(veo.card).queryByText('Local preview')).not.toBeInTheDocument()
  })

  it('shows its own retry being sent, and why it was not', () => {
    const failed = task({ status: 'TASK_STATUS_FAILED', reason: 'x', finishedAt: 1 })
    const { card } = renderCard(failed, { sending: true })
    expect(within(card).getByRole('button', { name: 'Sending…' })).toBeDisabled()
    cleanup()
    const refused = renderCard(failed, {
      error: { message: 'The provider is busy: too many requests for now.', details: 'RATE_LIMIT_EXCEEDED (HTTP 429)' },
    })
    expect(within(refused.card).getByRole('alert')).toHaveTextContent('Retry not sent. The provider is busy')
    expect(within(refused.card).getByRole('button', { name: 'Retry' })).toBeEnabled()
  })
})

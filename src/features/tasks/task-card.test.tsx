import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import type { TaskRecord } from '../../db/db'
import { TaskCard } from './task-card'

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

function renderCard(stored: TaskRecord) {
  const handlers = {
    onRetry: vi.fn<(task: TaskRecord) => void>(),
    onShowSamples: vi.fn<(task: TaskRecord) => void>(),
    onDismiss: vi.fn<(task: TaskRecord) => void>(),
  }
  render(
    <QueryClientProvider client={new QueryClient()}>
      <TaskCard task={stored} {...handlers} />
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

  it('offers no second Retry for a task already sent again', () => {
    const { card } = renderCard(task({ status: 'TASK_STATUS_FAILED', reason: 'x', finishedAt: 1, retriedAs: 'local:t2' }))
    expect(within(card).queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument()
  })

  it('shows a finished task with its videos and how long it took', async () => {
    const done = task({ status: 'TASK_STATUS_SUCCEED', videoCount: 2, finishedAt: 75_000 })
    const { card, onShowSamples } = renderCard(done)

    expect(within(card).getByText(/^✓ 2 videos/)).toHaveTextContent('✓ 2 videos · 1:15')
    expect(within(card).queryByRole('progressbar')).not.toBeInTheDocument()
    await userEvent.click(within(card).getByRole('button', { name: 'Show 2 videos' }))
    expect(onShowSamples).toHaveBeenCalledWith(done)
  })
})

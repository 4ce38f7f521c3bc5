import { act, cleanup, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { TaskRecord } from '../../db/db'
import { TaskCard } from './task-card'
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

afterEach(() => vi.useRealTimers())

function renderCard(stored: TaskRecord, retry?: RetryState, remaining?: number) {
  const handlers = {
    onRetry: vi.fn<(task: TaskRecord) => void>(),
    onResumePolling: vi.fn<(task: TaskRecord) => void>(),
    onShowSamples: vi.fn<(task: TaskRecord) => void>(),
    onDismiss: vi.fn<(task: TaskRecord) => void>(),
  }
  const { rerender } = render(<TaskCard task={stored} retry={retry} remaining={remaining} {...handlers} />)
  return {
    card: screen.getByRole('article', { name: 'Task: A kite over the dunes' }),
    /** The task as the gateway's next poll left it (the change feed refreshed it). */
    update: (next: TaskRecord) => rerender(<TaskCard task={next} retry={retry} remaining={remaining} {...handlers} />),
    ...handlers,
  }
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

  it.each<[string, Partial<TaskRecord>, string, string | undefined]>([
    ['just sent: its one name, and a bar at the start', {}, 'Sent', 'Sent'],
    ['queued at the provider, with the ETA after the name', { etaSeconds: 30 }, 'Sent · ETA 0:30', 'Sent'],
    [
      'rendering: the name with its progress, then the ETA',
      { status: 'TASK_STATUS_PROCESSING', progressPercent: 40, etaSeconds: 12 },
      'Rendering 40 % · ETA 0:12',
      'Rendering',
    ],
    ['done at the provider while the gateway keeps it', { status: 'TASK_STATUS_SUCCEED' }, 'Done · keeping it in the library…', undefined],
  ])('names each state once: %s', (_, stored, words, bar) => {
    const { card } = renderCard(task({ createdAt: Date.now(), ...stored }))
    expect(card).toHaveTextContent(words)
    expect(within(card).queryByRole('progressbar')?.getAttribute('aria-label')).toBe(bar)
    expect(card).not.toHaveTextContent(/Queued|waiting to render/)
  })

  it('says it is still checking while the gateway’s polls fail, and no longer once one answers', () => {
    const running = task({ createdAt: Date.now(), status: 'TASK_STATUS_PROCESSING', progressPercent: 40, pollFailures: 2 })
    const { card, update } = renderCard(running)
    expect(card).toHaveTextContent('Rendering 40 %')
    expect(card).toHaveTextContent('Connection trouble; still checking…')
    update({ ...running, progressPercent: 60, pollFailures: undefined })
    expect(card).not.toHaveTextContent('still checking')
    // Checking stopped: the card asks for the designer instead, one state at a time.
    update({ ...running, pollFailures: undefined, stalled: { message: 'The provider is not available right now.', at: 1 } })
    expect(card).toHaveTextContent('Needs attention: Checking stopped.')
    expect(card).not.toHaveTextContent('still checking')
  })

  it('a task whose checking stopped needs attention, and its Retry asks the gateway to check again (it sends nothing)', async () => {
    const stalled = task({ stalled: { message: 'The provider had a problem. Try again in a moment.', details: 'HTTP 500', at: 1 } })
    const { card, onRetry, onResumePolling } = renderCard(stalled)
    expect(within(card).getByRole('status')).toHaveTextContent(
      'Needs attention: Checking stopped. The provider had a problem. Try again in a moment.',
    )
    await userEvent.click(within(card).getByRole('button', { name: 'Retry' }))
    expect(onResumePolling).toHaveBeenCalledWith(stalled)
    expect(onRetry).not.toHaveBeenCalled()
  })

  it('a task the provider no longer knows has failed, with the reason; Retry sends it again', async () => {
    const lost = task({ lost: true, reason: 'The provider no longer knows this task. Generate it again.', finishedAt: 9 })
    const { card, onRetry } = renderCard(lost)
    expect(within(card).getByRole('status')).toHaveTextContent('Failed: The provider no longer knows this task. Generate it again.')
    await userEvent.click(within(card).getByRole('button', { name: 'Retry' }))
    expect(onRetry).toHaveBeenCalledWith(lost)
  })

  it('the ETA counts down between polls and the bar moves on at its pace; "any moment now" once it has run out', () => {
    vi.useFakeTimers()
    const running = task({ createdAt: Date.now(), status: 'TASK_STATUS_PROCESSING', progressPercent: 40, etaSeconds: 30 })
    const { card } = renderCard(running)
    // Ten seconds on, a third of the time left has passed: the bar has moved a third of the way left as well.
    act(() => void vi.advanceTimersByTime(10_000))
    expect(card).toHaveTextContent('Rendering 60 % · ETA 0:20')
    act(() => void vi.advanceTimersByTime(30_000))
    expect(card).toHaveTextContent('Rendering 97 % · any moment now')
  })

  it('without an ETA from the provider, the pace of its progress gives one once two polls have measured it', () => {
    vi.useFakeTimers()
    const running = task({ createdAt: Date.now(), status: 'TASK_STATUS_PROCESSING', progressPercent: 20 })
    const { card, update } = renderCard(running)
    expect(card).toHaveTextContent('Rendering 20 %')
    expect(card).not.toHaveTextContent('ETA')
    act(() => void vi.advanceTimersByTime(10_000))
    // 20 points in 10 s: the 59.5 left take about 30 s.
    update({ ...running, progressPercent: 40 })
    expect(card).toHaveTextContent('Rendering 40 % · ETA 0:30')
  })

  it('offline, a running card says it waits for the network instead of a stale ETA; online again, as before', () => {
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    const { card } = renderCard(task({ etaSeconds: 30 }))
    expect(card).toHaveTextContent('Sent · offline, waiting for the network')
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

    expect(within(card).getByText(/^✓ Done · 2 videos/)).toHaveTextContent('✓ Done · 2 videos · 1:15')
    expect(within(card).queryByRole('progressbar')).not.toBeInTheDocument()
    await userEvent.click(within(card).getByRole('button', { name: 'Show 2 videos' }))
    expect(onShowSamples).toHaveBeenCalledWith(done)
  })

  it('counts what is left after deletes, and offers no Show once all are gone', () => {
    const done = task({ status: 'TASK_STATUS_SUCCEED', videoCount: 2, finishedAt: 75_000 })
    const one = renderCard(done, undefined, 1)
    expect(within(one.card).getByText(/^✓ Done · 1 of 2 videos/)).toBeInTheDocument()
    expect(within(one.card).getByRole('button', { name: 'Show 1 video' })).toBeInTheDocument()
    cleanup()
    const none = renderCard(done, undefined, 0)
    expect(within(none.card).getByText(/^✓ Done · 2 videos deleted/)).toBeInTheDocument()
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

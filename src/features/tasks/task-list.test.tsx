import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { fakeSample, seedSamples, seedTasks, withFakeLibrary, type FakeTask } from '../../test/fake-library'
import { TaskList } from './task-list'

const library = withFakeLibrary()

const framed = (name: string) => ({ kind: 'url', url: `https://example.com/${name}.png` }) as const
const task = (id: string, prompt: string, over: Partial<FakeTask> = {}): FakeTask => ({
  id,
  provider: 'local',
  taskId: id.split(':')[1]!,
  request: {
    modelId: 'veo-3.1-generate-firstlastframe',
    params: { prompt },
    frames: { first: framed('a'), last: framed('b') },
  },
  createdAt: 100,
  status: 'TASK_STATUS_QUEUED',
  reason: '',
  dismissed: false,
  ...over,
})

function renderList() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  render(
    <QueryClientProvider client={client}>
      <TaskList onShowSamples={() => {}} />
    </QueryClientProvider>,
  )
}
const card = (prompt: string) => screen.getByRole('article', { name: `Task: ${prompt}` })
const posts = () => library.calls.filter((c) => c.method === 'POST').map((c) => c.path)

describe('the task strip, on the gateway', () => {
  it('shows the tasks the gateway runs, newest first, dismissed ones left out', async () => {
    seedTasks(
      task('local:a', 'a kite', { createdAt: 1, status: 'TASK_STATUS_SUCCEED', finishedAt: 9, videoCount: 1 }),
      task('local:b', 'a boat', { createdAt: 2, status: 'TASK_STATUS_PROCESSING', progressPercent: 40 }),
      task('local:c', 'a crane', { createdAt: 3, dismissed: true, finishedAt: 9, status: 'TASK_STATUS_FAILED' }),
    )
    seedSamples(fakeSample({ id: 'local:a#0' }))
    renderList()
    await waitFor(() =>
      expect(screen.getAllByRole('article').map((a) => a.getAttribute('aria-label'))).toEqual(['Task: a boat', 'Task: a kite']),
    )
    expect(card('a boat')).toHaveTextContent('Rendering 40 %')
    expect(card('a kite')).toHaveTextContent('✓ Done · 1 video')
  })

  it('Dismiss and Clear finished go to the gateway; a running task stays', async () => {
    seedTasks(
      task('local:a', 'a kite', { createdAt: 1, status: 'TASK_STATUS_SUCCEED', finishedAt: 9, videoCount: 1 }),
      task('local:b', 'a boat', { createdAt: 2, status: 'TASK_STATUS_FAILED', reason: 'refused', finishedAt: 9 }),
      task('local:c', 'a crane', { createdAt: 3 }),
    )
    const user = userEvent.setup()
    renderList()
    await user.click(within(await screen.findByRole('article', { name: 'Task: a kite' })).getByRole('button', { name: 'Dismiss task' }))
    await waitFor(() => expect(screen.queryByRole('article', { name: 'Task: a kite' })).not.toBeInTheDocument())
    await user.click(screen.getByRole('button', { name: 'Clear finished' }))
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(1))
    expect(card('a crane')).toBeInTheDocument()
    expect(posts()).toEqual(['/tasks/local%3Aa/dismiss', '/tasks/dismiss-finished'])
  })

  it('Retry on a failed task hands the gateway the same request again, naming the task it retries', async () => {
    seedTasks(task('local:b', 'a boat', { status: 'TASK_STATUS_FAILED', reason: 'The provider could not finish this.', finishedAt: 9 }))
    const user = userEvent.setup()
    renderList()
    const failed = await screen.findByRole('article', { name: 'Task: a boat' })
    expect(within(failed).getByRole('status')).toHaveTextContent('Failed: The provider could not finish this.')
    await user.click(within(failed).getByRole('button', { name: 'Retry' }))
    await waitFor(() => expect(posts()).toEqual(['/requests']))
    expect(within(failed).getByRole('button', { name: 'Sending…' })).toBeDisabled()
    const [item] = library.requests.values()
    expect(item).toMatchObject({ retryOf: 'local:b', priority: 'single', provider: 'local' })
    // The gateway sends it: the new task appears, and the old one names it (no second Retry).
    seedTasks(task('local:b2', 'a boat', { createdAt: 200 }))
    library.tasks.get('local:b')!.retriedAs = 'local:b2'
    Object.assign(item!, { state: 'sent', taskRecordId: 'local:b2' })
    await waitFor(() => expect(screen.getAllByRole('article')).toHaveLength(2))
    await waitFor(() => expect(within(failed).queryByRole('button', { name: /^(Retry|Sending…)$/ })).toBeNull())
  })

  it('Retry on a task whose checking stopped asks the gateway to check it again', async () => {
    seedTasks(task('local:s', 'a swan', { stalled: { message: 'The provider is not available right now.', at: 1 } }))
    const user = userEvent.setup()
    renderList()
    await user.click(within(await screen.findByRole('article', { name: 'Task: a swan' })).getByRole('button', { name: 'Retry' }))
    await waitFor(() => expect(card('a swan')).not.toHaveTextContent('Needs attention'))
    expect(posts()).toEqual(['/tasks/local%3As/resume'])
  })
})

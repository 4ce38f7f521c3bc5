import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { QueueItemJson } from '../../api/library-schemas'
import { withFakeLibrary } from '../../test/fake-library'
import { TaskList } from './task-list'

const library = withFakeLibrary()

/** What the line shows (the countdown included), and what a screen reader hears of it (aria-hidden left out). */
const shown = (status: HTMLElement) => status.querySelector('[aria-hidden="true"]')?.textContent
const said = (status: HTMLElement) =>
  [...status.childNodes]
    .filter((n) => !(n instanceof HTMLElement && n.getAttribute('aria-hidden') === 'true'))
    .map((n) => n.textContent)
    .join('')

let n = 0
/** A request in the gateway's queue. */
function queued(over: Partial<QueueItemJson> & Record<string, unknown> = {}) {
  const item = {
    id: `request-${++n}`,
    createdAt: n,
    provider: 'local',
    request: { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'x' }, frames: {} },
    priority: 'single',
    state: 'queued',
    attempts: 0,
    ...over,
  } as QueueItemJson
  library.requests.set(item.id, item)
}

function renderList() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  render(
    <QueryClientProvider client={client}>
      <TaskList onShowSamples={() => {}} />
    </QueryClientProvider>,
  )
  return screen.getByRole('status', { name: 'Submit queue' })
}

describe("the queue line in the task strip: the gateway's queue, by the names of request-state", () => {
  it('says how many wait to be sent, and leaves out a single Generate that failed (its error shows under Generate)', async () => {
    queued({ state: 'sending' })
    queued()
    queued({ state: 'failed', error: { message: 'no' } })
    queued({ state: 'failed', priority: 'sweep', experimentId: 'e', cell: { row: 0, col: 0 }, error: { message: 'no' } })
    const status = renderList()
    await expect.poll(() => shown(status)).toBe('2 waiting to send · 1 failed')
    expect(said(status)).toBe('2 waiting to send · 1 failed')
  })

  it('shows the pause the provider asked for with its countdown, but keeps the countdown out of what a screen reader is told', async () => {
    queued({ notBefore: Date.now() + 40_000, attempts: 1, error: { message: 'busy', status: 429 } })
    const status = renderList()
    await expect.poll(() => shown(status)).toMatch(/^Paused for (40|39) s: the provider asked us to slow down \(429\) · 1 waiting to send$/)
    expect(said(status)).toBe('Paused by the provider · 1 waiting to send')
  })

  it('says nothing when the queue is empty', async () => {
    const status = renderList()
    await screen.findByText(/No tasks yet/)
    expect(status).toBeEmptyDOMElement()
  })
})

import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, render, renderHook, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { Router } from 'wouter'
import { memoryLocation } from 'wouter/memory-location'
import { UndoToasts } from '../../components/ui/undo-toasts'
import { useUndoActions, useUndoables } from '../../lib/undo-store'
import { withFakeLibrary } from '../../test/fake-library'
import { ExperimentList } from './experiment-list'
import { announce, requestOf, runCell, seedSweep, taskIdOf } from './sweep.test-kit'

const library = withFakeLibrary()

let client: QueryClient
function renderList() {
  client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  render(
    <QueryClientProvider client={client}>
      <Router hook={memoryLocation({ path: '/experiments' }).hook}>
        <ExperimentList hrefOf={(id) => `/experiments/${id}`} />
        <UndoToasts />
      </Router>
    </QueryClientProvider>,
  )
}

const list = async () => within(await screen.findByRole('list', { name: 'Experiments, newest first' }))
const requestStates = () => [...library.requests.values()].map((r) => r.state)

afterEach(() => {
  const left = renderHook(() => ({ items: useUndoables(), undo: useUndoActions() })).result.current
  act(() => {
    for (const item of left.items) left.undo.settle(item.key, false)
  })
})

describe('ExperimentList', () => {
  it('lists experiments newest first, each a link to its board with its size, its progress in the studio’s words, and winners', async () => {
    seedSweep({ id: 'orbit', rows: ['orbit left', 'orbit right'], seeds: [1, 2, 3], createdAt: 1_000 })
    seedSweep({ id: 'kites', rows: ['a kite'], seeds: [11, 22], createdAt: 5_000 })
    seedSweep({ id: 'lanterns', rows: ['a lantern'], seeds: [7], createdAt: 3_000 })
    runCell('kites', 0, 0)
    runCell('orbit', 0, 0, { status: 'TASK_STATUS_PROCESSING', progressPercent: 20 })
    Object.assign(requestOf('orbit', 0, 1), { state: 'failed', error: { message: 'The prompt is too long.' } })
    requestOf('orbit', 1, 2).state = 'cancelled'
    library.experiments.get('orbit')!.marks = { '1:2': { winner: true } }
    renderList()

    const links = (await list()).getAllByRole('link')
    expect(links.map((l) => l.getAttribute('href'))).toEqual(['/experiments/kites', '/experiments/lanterns', '/experiments/orbit'])
    expect(links[0]).toHaveTextContent(/^a kite/)
    expect(links[0]).toHaveTextContent('1 × 2 · 2 tasks')
    expect(links[0]).toHaveTextContent('1 of 2 done')
    expect(links[0]).toHaveTextContent('1 waiting to send')
    expect(links[0]).not.toHaveTextContent('winner')
    expect(links[2]).toHaveTextContent('2 × 3 · 5 tasks')
    expect(links[2]).toHaveTextContent('0 of 5 done')
    expect(links[2]).toHaveTextContent('1 rendering')
    expect(links[2]).toHaveTextContent('3 waiting to send')
    expect(links[2]).toHaveTextContent('1 failed')
    expect(links[2]).toHaveTextContent('1 cancelled')
    expect(links[2]).toHaveTextContent('1 winner')
  })

  it("shows the first finished sample's poster as a thumbnail, once the library keeps it", async () => {
    seedSweep({ id: 'kites', rows: ['a kite'], seeds: [11, 22], createdAt: 5_000 })
    seedSweep({ id: 'lanterns', rows: ['a lantern'], seeds: [7], createdAt: 3_000 })
    runCell('kites', 0, 1)
    const sample = library.samples.get(`${taskIdOf('kites', 0, 1)}#0`)!
    Object.assign(sample, { stored: false, videoSha256: undefined, posterSha256: undefined })
    renderList()
    const links = (await list()).getAllByRole('link')
    await waitFor(() => expect(library.calls.some((c) => c.path.startsWith('/samples'))).toBe(true))
    expect(links[0]!.querySelector('img')).toBeNull()

    Object.assign(sample, { stored: true, videoSha256: 'a'.repeat(64), posterSha256: 'b'.repeat(64) })
    act(() => announce(client, 'samples', [sample.id]))
    await waitFor(() => expect(links[0]!.querySelector('img')).toHaveAttribute('src', `/api/library/files/${'b'.repeat(64)}`))
    expect(links[0]).toHaveAccessibleName(/^a kite/)
    expect(links[1]!.querySelector('img')).toBeNull()
  })

  it('says how to make one when there is none', async () => {
    renderList()
    expect(await screen.findByText('No experiments yet.')).toBeVisible()
    expect(screen.getByText(/Turn on Sweep in Compose/)).toBeVisible()
  })

  it('Delete experiment asks first, deletes it with its waiting requests, and Undo brings all of it back', async () => {
    seedSweep({ id: 'kites', name: 'kites', rows: ['a kite'], seeds: [11, 22], createdAt: 5_000 })
    seedSweep({ id: 'lanterns', name: 'lanterns', rows: ['a lantern'], seeds: [7], createdAt: 3_000 })
    renderList()
    const kites = await screen.findByRole('listitem', { name: 'kites' })
    await userEvent.click(within(kites).getByRole('button', { name: 'Delete experiment' }))
    const dialog = screen.getByRole('dialog', { name: 'Delete “kites”?' })
    expect(dialog).toHaveTextContent('requests still waiting are not sent')
    expect(dialog).toHaveTextContent('after that it is removed from the library for good')
    // Cancel changes nothing.
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(library.calls.some((c) => c.method === 'DELETE')).toBe(false)

    await userEvent.click(within(kites).getByRole('button', { name: 'Delete experiment' }))
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Delete “kites”?' })).getByRole('button', { name: 'Delete' }))
    await waitFor(() => expect(screen.queryByRole('listitem', { name: 'kites' })).not.toBeInTheDocument())
    expect(screen.getByRole('listitem', { name: 'lanterns' })).toBeInTheDocument()
    expect(requestStates()).toEqual(['cancelled', 'cancelled', 'queued'])

    await userEvent.click(screen.getByRole('button', { name: 'Undo' }))
    expect(await screen.findByRole('listitem', { name: 'kites' })).toBeInTheDocument()
    expect(requestStates()).toEqual(['queued', 'queued', 'queued'])
    expect(within(screen.getByRole('listitem', { name: 'kites' })).getByRole('link')).toHaveTextContent('2 waiting to send')
  })
})

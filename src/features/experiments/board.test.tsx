import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, render, renderHook, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it } from 'vitest'
import { Router } from 'wouter'
import { memoryLocation } from 'wouter/memory-location'
import { useSelectedIds, useSelectionActions } from '../../lib/selection-store'
import { answerWith, withFakeLibrary } from '../../test/fake-library'
import { Board } from './board'
import { cellRequest } from './sweep'
import { announce, base, requestOf, runCell, seedSweep, taskIdOf } from './sweep.test-kit'

const library = withFakeLibrary()

const rows = ['a red kite', 'a blue kite']
/** A 2 × 2 sweep as Run sweep leaves it: four requests waiting in the gateway's queue. */
const sweep = () => seedSweep({ rows, seeds: [11, 22] })

let client: QueryClient
function renderBoard(id = 'e1') {
  client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  return render(
    <QueryClientProvider client={client}>
      <Router hook={memoryLocation({ path: `/experiments/${id}` }).hook}>
        <Board experimentId={id} listHref="/experiments" />
      </Router>
    </QueryClientProvider>,
  )
}

const board = () => screen.findByRole('region', { name: /^Experiment: / })
const cell = (prompt: string, seed: number) => screen.getByRole('group', { name: `${prompt} · Seed ${seed}` })
const patches = () => library.calls.filter((c) => c.method === 'PATCH').map((c) => c.body)

afterEach(() => {
  const selection = renderHook(() => useSelectionActions()).result.current
  act(() => selection.clear())
})

describe('Board', () => {
  it('lays out rows of prompts and columns of seeds, with the right seed on every sample', async () => {
    sweep()
    for (const [row, col] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ] as const)
      runCell('e1', row, col)
    renderBoard()

    const region = await board()
    expect(region).toHaveAccessibleName('Experiment: a red kite')
    expect(
      within(region)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Prompt', 'Seed 11', 'Seed 22'])
    expect(
      within(region)
        .getAllByRole('rowheader')
        .map((h) => h.textContent),
    ).toEqual(rows)
    await waitFor(() => expect(within(region).getAllByRole('checkbox', { name: 'Select' })).toHaveLength(4))
    for (const prompt of rows)
      for (const seed of [11, 22]) {
        const here = cell(prompt, seed)
        expect(within(here).getByText(`Seed ${seed}`, { exact: true })).toBeVisible()
        expect(within(here).getByRole('button', { name: `Play video, seed ${seed}` })).toBeEnabled()
      }
    expect(within(region).getByText('4 of 4 tasks done')).toBeVisible()
    expect(within(region).queryByRole('button', { name: 'Cancel sweep' })).toBeNull()
  })

  it('names every state as the rest of the studio does: waiting to send, sent, rendering, done, failed', async () => {
    sweep()
    runCell('e1', 0, 0)
    runCell('e1', 0, 1, { status: 'TASK_STATUS_QUEUED' })
    runCell('e1', 1, 0, { status: 'TASK_STATUS_PROCESSING', progressPercent: 39.6 })
    renderBoard()
    const region = await board()
    expect(within(region).getByText('1 of 4 tasks done · 1 sent · 1 rendering · 1 waiting to send')).toBeVisible()
    expect(within(cell('a red kite', 22)).getByText('Sent')).toBeVisible()
    expect(within(cell('a blue kite', 11)).getByText('Rendering 40 %')).toBeVisible()
    expect(within(cell('a blue kite', 11)).getByRole('progressbar', { name: 'Rendering' })).toHaveAttribute('aria-valuenow', '40')
    expect(within(cell('a blue kite', 22)).getByText('Waiting to send · next in line')).toBeVisible()
    expect(within(region).queryByText(/Sending|Queued|waiting to render/)).toBeNull()
  })

  it('says where each waiting cell is in the gateway’s line, and a single run goes ahead of the sweep', async () => {
    sweep()
    library.requests.set('single', {
      ...requestOf('e1', 0, 0),
      id: 'single',
      createdAt: 5_000,
      priority: 'single',
      experimentId: undefined,
      cell: undefined,
    })
    renderBoard()
    const region = await board()
    expect(within(region).getByText('0 of 4 tasks done · 4 waiting to send')).toBeVisible()
    await waitFor(() => expect(within(cell('a red kite', 11)).getByText('Waiting to send · 2nd in line')).toBeVisible())
    expect(within(cell('a blue kite', 22)).getByText('Waiting to send · 5th in line')).toBeVisible()
    expect(within(region).getByRole('button', { name: 'Cancel sweep' })).toBeVisible()
  })

  it('Winner toggles, and the gateway keeps the mark', async () => {
    sweep()
    runCell('e1', 1, 1)
    renderBoard()
    await board()
    const winner = within(cell('a blue kite', 22)).getByRole('button', { name: 'Winner' })
    expect(winner).toHaveAttribute('aria-pressed', 'false')
    await userEvent.click(winner)
    expect(winner).toHaveAttribute('aria-pressed', 'true')
    await waitFor(() => expect(library.experiments.get('e1')?.marks).toEqual({ '1:1': { winner: true } }))
    expect(within(cell('a red kite', 11)).getByRole('button', { name: 'Winner' })).toHaveAttribute('aria-pressed', 'false')
    await userEvent.click(winner)
    await waitFor(() => expect((library.experiments.get('e1')?.marks['1:1'] as { winner?: boolean } | undefined)?.winner).toBe(false))
    expect(winner).toHaveAttribute('aria-pressed', 'false')
  })

  it('keeps a note when the field loses focus, and shows it again on a fresh board', async () => {
    sweep()
    const first = renderBoard()
    await board()
    const note = within(cell('a red kite', 11)).getByLabelText('Note')
    await userEvent.type(note, 'too much sky')
    await userEvent.tab()
    await waitFor(() => expect(patches()).toEqual([{ marks: { '0:0': { note: 'too much sky' } } }]))
    expect(note).toHaveValue('too much sky')

    first.unmount()
    renderBoard()
    await waitFor(() => expect(within(cell('a red kite', 11)).getByLabelText('Note')).toHaveValue('too much sky'))
  })

  it('says so in plain words when the gateway does not keep a change', async () => {
    sweep()
    renderBoard()
    await board()
    answerWith(
      http.patch('*/api/library/experiments/:id', () =>
        HttpResponse.json(
          { code: 400, reason: 'INVALID_REQUEST_BODY', message: 'A note is longer than 10,000 characters: shorten it.', metadata: {} },
          { status: 400 },
        ),
      ),
    )
    await userEvent.type(within(cell('a red kite', 11)).getByLabelText('Note'), 'far too long')
    await userEvent.tab()
    expect(await screen.findByRole('alert')).toHaveTextContent('Not saved: A note is longer than 10,000 characters: shorten it.')
  })

  it('Re-run sends the cell’s request again, ahead of the sweep, retrying its task; the earlier video stays while it waits', async () => {
    sweep()
    runCell('e1', 0, 1)
    renderBoard()
    await board()
    await userEvent.click(within(cell('a red kite', 22)).getByRole('button', { name: 'Re-run' }))
    await within(cell('a red kite', 22)).findByText('Waiting to send · next in line')
    const added = library.calls
      .filter((c) => c.method === 'POST' && c.path === '/requests')
      .map((c) => (c.body as { requests: unknown[] }).requests)
    expect(added).toEqual([
      [
        expect.objectContaining({
          provider: 'local',
          priority: 'single',
          experimentId: 'e1',
          cell: { row: 0, col: 1 },
          retryOf: taskIdOf('e1', 0, 1),
          request: cellRequest(base, 'a red kite', { seed: 22 }),
          modelPath: '/v3/async/veo-3.1-generate-firstlastframe',
        }),
      ],
    ])
    expect(within(cell('a red kite', 22)).getAllByRole('checkbox', { name: 'Select' })).toHaveLength(1)
  })

  it('shows a refused request in plain words with its details; Re-run replaces it and the header no longer counts it', async () => {
    sweep()
    Object.assign(requestOf('e1', 1, 0), {
      state: 'failed',
      error: { message: 'The prompt is too long.', details: 'HTTP 400 INVALID_ARGUMENT' },
    })
    renderBoard()
    const region = await board()
    const here = cell('a blue kite', 11)
    expect(within(here).getByText('Failed: The prompt is too long.')).toBeVisible()
    expect(within(here).getByText('HTTP 400 INVALID_ARGUMENT')).not.toBeVisible()
    expect(within(region).getByText('0 of 4 tasks done · 3 waiting to send · 1 failed')).toBeVisible()
    await userEvent.click(within(here).getByRole('button', { name: 'Re-run' }))
    await within(here).findByText(/^Waiting to send · /)
    expect(within(region).getByText('0 of 4 tasks done · 4 waiting to send')).toBeVisible()
    // No task to retry: the request failed before it became one.
    expect(library.calls.find((c) => c.path === '/requests' && c.method === 'POST')?.body).not.toHaveProperty('requests.0.retryOf')
  })

  it('a cell whose samples were all deleted says "Video deleted" and keeps Re-run; the header still counts the task done', async () => {
    sweep()
    runCell('e1', 0, 0)
    library.samples.get(`${taskIdOf('e1', 0, 0)}#0`)!.deletedAt = 5_000
    renderBoard()
    const region = await board()
    const here = cell('a red kite', 11)
    expect(within(here).getByText('Video deleted')).toBeVisible()
    expect(within(here).getByRole('button', { name: 'Re-run' })).toBeVisible()
    expect(within(region).getByText('1 of 4 tasks done · 3 waiting to send')).toBeVisible()
    expect(within(cell('a red kite', 22)).queryByText('Video deleted')).toBeNull()
  })

  it('renames in place: Enter keeps the name, Escape the old one, and an empty name is refused', async () => {
    sweep()
    renderBoard()
    const region = await board()
    await userEvent.click(within(region).getByRole('button', { name: 'Rename' }))
    const field = within(region).getByRole('textbox', { name: 'Experiment name' })
    await userEvent.clear(field)
    await userEvent.keyboard('{Enter}')
    expect(within(region).getByRole('alert')).toHaveTextContent('Experiment name is empty.')
    await userEvent.type(field, 'Kites{Enter}')
    expect(region).toHaveAccessibleName('Experiment: Kites')
    expect(within(region).getByRole('button', { name: 'Rename' })).toHaveFocus()
    await waitFor(() => expect(library.experiments.get('e1')?.name).toBe('Kites'))

    await userEvent.click(within(region).getByRole('button', { name: 'Rename' }))
    await userEvent.type(within(region).getByRole('textbox', { name: 'Experiment name' }), ' two{Escape}')
    expect(within(region).getByRole('heading', { name: 'Kites' })).toBeVisible()
    expect(within(region).getByRole('button', { name: 'Rename' })).toHaveFocus()
    expect(patches()).toEqual([{ name: 'Kites' }])
  })

  it('shows a paused queue while the provider asked the gateway to wait', async () => {
    sweep()
    requestOf('e1', 1, 1).notBefore = Date.now() + 60_000
    renderBoard()
    const region = await board()
    expect(within(region).getByText(/Paused/)).toHaveTextContent(/^· Paused for (59 s|1:00): the provider asked the studio to wait$/)
  })

  it('fills in as the gateway reports: a new video appears in its cell', async () => {
    sweep()
    renderBoard()
    await board()
    runCell('e1', 1, 0)
    act(() => {
      announce(client, 'tasks', [taskIdOf('e1', 1, 0)])
      announce(client, 'queue')
    })
    expect(await within(cell('a blue kite', 11)).findByRole('button', { name: 'Play video, seed 11' })).toBeEnabled()
    expect(screen.getByText('1 of 4 tasks done · 3 waiting to send')).toBeVisible()
  })

  it('Select on a board sample feeds the selection the gallery shares', async () => {
    sweep()
    runCell('e1', 1, 0)
    let selected: ReadonlySet<string> = new Set()
    function Probe() {
      selected = useSelectedIds()
      return null
    }
    render(<Probe />)
    renderBoard()
    await board()
    const select = await within(cell('a blue kite', 11)).findByRole('checkbox', { name: 'Select' })
    const figure = select.closest('figure')!
    expect(figure).not.toHaveClass('ring-2')
    await userEvent.click(select)
    expect(select).toBeChecked()
    expect([...selected]).toEqual([`${taskIdOf('e1', 1, 0)}#0`])
    expect(figure).toHaveClass('ring-2', 'ring-accent')
    await userEvent.click(select)
    expect(selected.size).toBe(0)
  })

  it('says so when the experiment is not in the library', async () => {
    renderBoard('nope')
    expect(await screen.findByText(/This experiment is not in this studio/)).toBeVisible()
    expect(screen.getByRole('link', { name: 'All experiments' })).toHaveAttribute('href', '/experiments')
  })
})

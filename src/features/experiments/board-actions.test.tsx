import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, render, renderHook, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { Router } from 'wouter'
import { memoryLocation } from 'wouter/memory-location'
import { libraryKeys } from '../../api/library-queries'
import { UndoToasts } from '../../components/ui/undo-toasts'
import { useUndoActions, useUndoables } from '../../lib/undo-store'
import { withFakeLibrary } from '../../test/fake-library'
import { Board } from './board'
import { announce, requestOf, runCell, seedSweep, taskIdOf } from './sweep.test-kit'

/*
 * What the board's buttons do to the focus, the gateway's queue and the Undo stack, and what it shows while the gateway
 * turns a request into its task. (board.test.tsx covers the layout and the states.)
 */

const library = withFakeLibrary()

const sweep = () => seedSweep({ rows: ['a red kite', 'a blue kite'], seeds: [11, 22, 33] })

let client: QueryClient
function renderBoard() {
  client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  return render(
    <QueryClientProvider client={client}>
      <Router hook={memoryLocation({ path: '/experiments/e1' }).hook}>
        <Board experimentId="e1" listHref="/experiments" />
        <UndoToasts />
      </Router>
    </QueryClientProvider>,
  )
}

const board = () => screen.findByRole('region', { name: /^Experiment: / })
const cell = (prompt: string, seed: number) => screen.getByRole('group', { name: `${prompt} · Seed ${seed}` })
const states = () => [...library.requests.values()].map((r) => r.state)

afterEach(() => {
  const left = renderHook(() => ({ items: useUndoables(), undo: useUndoActions() })).result.current
  act(() => {
    for (const item of left.items) left.undo.settle(item.key, false)
  })
})

describe('Board actions', () => {
  it('Cancel sweep takes back what waits, moves the focus to the progress line, and Undo puts it back in line', async () => {
    sweep()
    runCell('e1', 0, 0, { status: 'TASK_STATUS_FAILED', reason: 'The frame was refused.' })
    Object.assign(requestOf('e1', 0, 2), { state: 'failed', error: { message: 'The prompt is too long.' } })
    renderBoard()
    const region = await board()
    expect(within(region).getByText('0 of 6 tasks done · 4 waiting to send · 2 failed')).toBeVisible()
    await userEvent.click(within(region).getByRole('button', { name: 'Cancel sweep' }))

    await waitFor(() => expect(within(region).getAllByText('Cancelled: not sent')).toHaveLength(4))
    expect(within(region).getByText('0 of 2 tasks done · 2 failed · 4 cancelled')).toHaveFocus()
    expect(within(region).queryByRole('button', { name: 'Cancel sweep' })).toBeNull()
    // The failed request keeps its reason, and the gateway its state.
    expect(within(cell('a red kite', 33)).getByText('Failed: The prompt is too long.')).toBeVisible()
    expect(states()).toEqual(['sent', 'cancelled', 'failed', 'cancelled', 'cancelled', 'cancelled'])

    const toast = await screen.findByText('4 requests cancelled')
    await userEvent.click(within(toast.closest('[data-toast]') as HTMLElement).getByRole('button', { name: 'Undo' }))
    await waitFor(() => expect(within(region).queryAllByText('Cancelled: not sent')).toHaveLength(0))
    expect(states()).toEqual(['sent', 'queued', 'failed', 'queued', 'queued', 'queued'])
    expect(within(cell('a red kite', 22)).getByText('Waiting to send · next in line')).toBeVisible()
    expect(within(region).getByRole('button', { name: 'Cancel sweep' })).toBeVisible()
  })

  it('Re-run pressed twice sends one request, and the focus stays on its cell', async () => {
    sweep()
    runCell('e1', 1, 1, { status: 'TASK_STATUS_FAILED', reason: 'The frame was refused.' })
    renderBoard()
    await board()
    const here = cell('a blue kite', 22)
    await userEvent.dblClick(within(here).getByRole('button', { name: 'Re-run' }))
    await within(here).findByText(/^Waiting to send · /)
    expect(library.calls.filter((c) => c.method === 'POST' && c.path === '/requests')).toHaveLength(1)
    expect(within(here).queryByRole('button', { name: 'Re-run' })).toBeNull()
    expect(here).toHaveFocus()
  })

  it('Winner pressed twice quickly ends where it began, on the board and at the gateway', async () => {
    sweep()
    renderBoard()
    await board()
    const winner = within(cell('a red kite', 11)).getByRole('button', { name: 'Winner' })
    await userEvent.dblClick(winner)
    await waitFor(() => expect(library.calls.filter((c) => c.method === 'PATCH')).toHaveLength(2))
    await waitFor(() => expect((library.experiments.get('e1')?.marks['0:0'] as { winner?: boolean } | undefined)?.winner).toBe(false))
    expect(winner).toHaveAttribute('aria-pressed', 'false')
  })

  it('never shows a cell as cancelled while the gateway turns its request into a task', async () => {
    sweep()
    renderBoard()
    const region = await board()
    let flashed = false
    const watch = new MutationObserver(() => {
      if (/cancelled/i.test(region.textContent ?? '')) flashed = true
    })
    watch.observe(region, { subtree: true, childList: true, characterData: true })
    // The runner sends it and the task finishes at once; the queue is read before the board is (the worst order).
    runCell('e1', 0, 0)
    await act(() => client.refetchQueries({ queryKey: libraryKeys.queue() }))
    expect(within(cell('a red kite', 11)).getByText('Waiting to send · next in line')).toBeVisible()
    await within(cell('a red kite', 11)).findByRole('checkbox', { name: 'Select' })
    watch.disconnect()
    expect(flashed).toBe(false)
    expect(within(region).getByText('1 of 6 tasks done · 5 waiting to send')).toBeVisible()
  })

  it('a request cancelled from another tab reads as cancelled once the queue is read again', async () => {
    sweep()
    renderBoard()
    const region = await board()
    requestOf('e1', 1, 2).state = 'cancelled'
    act(() => announce(client, 'queue'))
    expect(await within(cell('a blue kite', 33)).findByText('Cancelled: not sent')).toBeVisible()
    expect(within(region).getByText('0 of 5 tasks done · 5 waiting to send · 1 cancelled')).toBeVisible()
    expect(library.calls.some((c) => c.path === `/requests/${requestOf('e1', 1, 2).id}`)).toBe(true)
    expect(library.tasks.has(taskIdOf('e1', 1, 2))).toBe(false)
  })
})

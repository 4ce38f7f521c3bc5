import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { Router } from 'wouter'
import { memoryLocation } from 'wouter/memory-location'
import { sampleRecord } from '../../../testing/sample-record'
import { UndoToasts } from '../../components/ui/undo-toasts'
import { db, type ExperimentRecord, type StoredRequest, type TaskRecord } from '../../db/db'
import { createExperiment } from '../../db/experiments'
import { Board } from './board'
import { cellRequest } from './sweep'

/*
 * What the board's buttons do to the focus, the queue and the Undo stack, and what it shows while the runner turns a
 * request into its task. (board.test.tsx covers the layout and the states.)
 */

const base: StoredRequest = { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'a kite', duration_seconds: 4 }, frames: {} }
const rows = ['a red kite', 'a blue kite']
const columns = [{ seed: 11 }, { seed: 22 }, { seed: 33 }]

async function sweep(): Promise<ExperimentRecord> {
  const cells = rows.flatMap((prompt, row) =>
    columns.map((column, col) => ({ cell: { row, col }, request: cellRequest(base, prompt, column) })),
  )
  return createExperiment({ name: 'a red kite', provider: 'local', base, rows, columns, cells }, 1_000)
}

const itemOf = async (row: number, col: number) => (await db.queue.toArray()).find((i) => i.cell?.row === row && i.cell.col === col)!

/** What the runner does when a request is accepted: in one write, its queue item goes and its task comes. */
async function accept(experiment: ExperimentRecord, row: number, col: number, finished = true) {
  const item = await itemOf(row, col)
  const task: TaskRecord = {
    id: `local:${row}${col}`,
    provider: 'local',
    taskId: `${row}${col}`,
    request: item.request,
    createdAt: 2_000 + row * 10 + col,
    status: finished ? 'TASK_STATUS_FAILED' : 'TASK_STATUS_PROCESSING',
    reason: finished ? 'The frame was refused.' : '',
    finishedAt: finished ? 3_000 : undefined,
    experimentId: experiment.id,
    cell: { row, col },
  }
  await db.transaction('rw', db.queue, db.tasks, async () => {
    await db.queue.delete(item.id)
    await db.tasks.add(task)
  })
}

function renderBoard(id: string) {
  const location = memoryLocation({ path: `/experiments/${id}` })
  return render(
    <QueryClientProvider client={new QueryClient()}>
      <Router hook={location.hook}>
        <Board experimentId={id} listHref="/experiments" />
        <UndoToasts />
      </Router>
    </QueryClientProvider>,
  )
}

const board = () => screen.findByRole('region', { name: /^Experiment: / })
const cell = (prompt: string, seed: number) => screen.getByRole('group', { name: `${prompt} · Seed ${seed}` })

afterEach(async () => {
  await db.delete()
  await db.open()
})

describe('Board actions', () => {
  it('Cancel sweep removes only the waiting requests, moves the focus to the progress line, and Undo puts them back', async () => {
    const experiment = await sweep()
    await accept(experiment, 0, 0)
    await db.queue.update((await itemOf(0, 1)).id, { state: 'sending', sentAt: 2_500 })
    await db.queue.update((await itemOf(0, 2)).id, { state: 'failed', error: { message: 'The prompt is too long.' } })
    const before = await db.queue.orderBy('createdAt').toArray()
    renderBoard(experiment.id)
    const region = await board()
    await userEvent.click(within(region).getByRole('button', { name: 'Cancel sweep' }))

    await waitFor(() => expect(within(region).getAllByText('Cancelled: not sent')).toHaveLength(3))
    expect(within(region).queryByRole('button', { name: 'Cancel sweep' })).toBeNull()
    expect(document.activeElement).toBe(within(region).getByText(/^0 of 3 tasks done/))
    // The failed request keeps its reason; the one being sent stays.
    expect(within(cell('a red kite', 33)).getByText('Failed: The prompt is too long.')).toBeVisible()
    expect((await db.queue.toArray()).map((i) => i.state).sort()).toEqual(['failed', 'sending'])

    const toast = await screen.findByText('3 requests cancelled')
    await userEvent.click(within(toast.closest('[data-toast]') as HTMLElement).getByRole('button', { name: 'Undo' }))
    await waitFor(async () => expect(await db.queue.orderBy('createdAt').toArray()).toEqual(before))
    await waitFor(() => expect(within(region).queryAllByText('Cancelled: not sent')).toHaveLength(0))
    expect(within(region).getByRole('button', { name: 'Cancel sweep' })).toBeVisible()
  })

  it('Re-run pressed twice queues one request, and the focus stays on its cell', async () => {
    const experiment = await sweep()
    await accept(experiment, 1, 1)
    renderBoard(experiment.id)
    await board()
    const before = await db.queue.count()
    const here = cell('a blue kite', 22)
    await userEvent.dblClick(within(here).getByRole('button', { name: 'Re-run' }))
    await within(here).findByText(/^Waiting to send · /)
    expect(await db.queue.count()).toBe(before + 1)
    expect(within(here).queryByRole('button', { name: 'Re-run' })).toBeNull()
    expect(document.activeElement).toBe(here)
  })

  it('Winner pressed twice quickly ends where it began', async () => {
    const experiment = await sweep()
    renderBoard(experiment.id)
    await board()
    const winner = within(cell('a red kite', 11)).getByRole('button', { name: 'Winner' })
    await userEvent.dblClick(winner)
    await waitFor(async () => expect((await db.experiments.get(experiment.id))?.marks['0:0']?.winner).toBe(false))
    expect(winner).toHaveAttribute('aria-pressed', 'false')
  })

  it('never shows a cell as cancelled while its request becomes a task', async () => {
    const experiment = await sweep()
    renderBoard(experiment.id)
    const region = await board()
    let flashed = false
    const watch = new MutationObserver(() => {
      if (/cancelled/i.test(region.textContent ?? '')) flashed = true
    })
    watch.observe(region, { subtree: true, childList: true, characterData: true })
    // A task that finished at once, with its video: the board reads tasks, then samples, then (before) the queue apart.
    const item = await itemOf(0, 0)
    await db.transaction('rw', db.queue, db.tasks, db.samples, async () => {
      await db.queue.delete(item.id)
      await db.tasks.add({
        id: 'local:00',
        provider: 'local',
        taskId: '00',
        request: item.request,
        createdAt: 2_000,
        status: 'TASK_STATUS_SUCCEED',
        reason: '',
        finishedAt: 3_000,
        videoCount: 1,
        experimentId: experiment.id,
        cell: { row: 0, col: 0 },
      })
      await db.samples.add(sampleRecord({ taskRecordId: 'local:00', request: item.request, seed: '11', urlExpiresAt: Date.now() + 60_000 }))
    })
    await within(cell('a red kite', 11)).findByRole('checkbox', { name: 'Select' })
    watch.disconnect()
    expect(flashed).toBe(false)
  })
})

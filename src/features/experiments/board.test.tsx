import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { Router } from 'wouter'
import { memoryLocation } from 'wouter/memory-location'
import { sampleRecord } from '../../../testing/sample-record'
import { taskResult } from '../../../testing/task-result'
import { connectionFor } from '../../api/connection-store'
import { taskQueries } from '../../api/queries'
import { db, type ExperimentRecord, type StoredRequest, type TaskRecord } from '../../db/db'
import { createExperiment } from '../../db/experiments'
import { useSelectedIds } from '../../lib/selection-store'
import { Board } from './board'
import { cellRequest } from './sweep'

const base: StoredRequest = { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'a kite', duration_seconds: 4 }, frames: {} }
const rows = ['a red kite', 'a blue kite']
const columns = [{ seed: 11 }, { seed: 22 }]

/** A 2 × 2 sweep as Run sweep writes it: the experiment and its four requests, queued. */
async function sweep(): Promise<ExperimentRecord> {
  const cells = rows.flatMap((prompt, row) =>
    columns.map((column, col) => ({ cell: { row, col }, request: cellRequest(base, prompt, column) })),
  )
  return createExperiment({ name: 'a red kite', provider: 'local', base, rows, columns, cells }, 1_000)
}

/** What the queue runner and the poller leave behind for a cell: a finished task and its sample, and no queue item. */
async function finish(experiment: ExperimentRecord, row: number, col: number) {
  const item = (await db.queue.toArray()).find((i) => i.cell?.row === row && i.cell.col === col)!
  await db.queue.delete(item.id)
  const seed = String(experiment.columns[col]!.seed)
  const task: TaskRecord = {
    id: `local:${row}${col}`,
    provider: 'local',
    taskId: `${row}${col}`,
    request: item.request,
    createdAt: 2_000 + row * 10 + col,
    status: 'TASK_STATUS_SUCCEED',
    reason: '',
    finishedAt: 3_000,
    seed,
    videoCount: 1,
    experimentId: experiment.id,
    cell: { row, col },
  }
  await db.tasks.add(task)
  await db.samples.add(sampleRecord({ taskRecordId: task.id, request: item.request, seed, urlExpiresAt: Date.now() + 60_000 }))
}

function renderBoard(id: string, client = new QueryClient()) {
  const location = memoryLocation({ path: `/experiments/${id}` })
  return render(
    <QueryClientProvider client={client}>
      <Router hook={location.hook}>
        <Board experimentId={id} listHref="/experiments" />
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

describe('Board', () => {
  it('lays out rows of prompts and columns of seeds, with the right seed on every sample', async () => {
    const experiment = await sweep()
    for (const [row, col] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ] as const)
      await finish(experiment, row, col)
    renderBoard(experiment.id)

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
        expect(within(here).getAllByRole('checkbox', { name: 'Select' })).toHaveLength(1)
        expect(within(here).getByRole('button', { name: `Play video, seed ${seed}` })).toBeEnabled()
      }
    expect(within(region).getByText('4 of 4 tasks done')).toBeVisible()
    expect(within(region).queryByRole('button', { name: 'Cancel sweep' })).toBeNull()
  })

  it('says where each waiting cell is in the queue, and offers Cancel sweep', async () => {
    const experiment = await sweep()
    renderBoard(experiment.id)
    const region = await board()
    expect(within(region).getByText('0 of 4 tasks done · 4 waiting to send')).toBeVisible()
    expect(within(cell('a red kite', 11)).getByText('Waiting to send · next in line')).toBeVisible()
    expect(within(cell('a blue kite', 22)).getByText('Waiting to send · 4th in line')).toBeVisible()
    expect(within(region).getByRole('button', { name: 'Cancel sweep' })).toBeVisible()
  })

  it('Winner toggles, and the mark is kept', async () => {
    const experiment = await sweep()
    await finish(experiment, 1, 1)
    renderBoard(experiment.id)
    await board()
    const winner = within(cell('a blue kite', 22)).getByRole('button', { name: 'Winner' })
    expect(winner).toHaveAttribute('aria-pressed', 'false')
    await userEvent.click(winner)
    await waitFor(() => expect(winner).toHaveAttribute('aria-pressed', 'true'))
    expect((await db.experiments.get(experiment.id))?.marks).toEqual({ '1:1': { winner: true } })
    expect(within(cell('a red kite', 11)).getByRole('button', { name: 'Winner' })).toHaveAttribute('aria-pressed', 'false')
    await userEvent.click(winner)
    await waitFor(() => expect(winner).toHaveAttribute('aria-pressed', 'false'))
    expect((await db.experiments.get(experiment.id))?.marks['1:1']?.winner).toBe(false)
  })

  it('keeps a note when the field loses focus, and shows it again on a fresh board', async () => {
    const experiment = await sweep()
    const first = renderBoard(experiment.id)
    await board()
    const note = within(cell('a red kite', 11)).getByLabelText('Note')
    await userEvent.type(note, 'too much sky')
    await userEvent.tab()
    await waitFor(async () => expect((await db.experiments.get(experiment.id))?.marks['0:0']?.note).toBe('too much sky'))
    expect(note).toHaveValue('too much sky')

    first.unmount()
    renderBoard(experiment.id)
    await waitFor(() => expect(within(cell('a red kite', 11)).getByLabelText('Note')).toHaveValue('too much sky'))
  })

  it('Re-run queues the same cell request again, and the cell shows it waiting', async () => {
    const experiment = await sweep()
    await finish(experiment, 0, 1)
    renderBoard(experiment.id)
    await board()
    const before = await db.queue.count()
    await userEvent.click(within(cell('a red kite', 22)).getByRole('button', { name: 'Re-run' }))
    await waitFor(async () => expect(await db.queue.count()).toBe(before + 1))
    const added = (await db.queue.orderBy('createdAt').toArray()).at(-1)!
    expect(added).toMatchObject({
      provider: 'local',
      experimentId: experiment.id,
      cell: { row: 0, col: 1 },
      state: 'queued',
      request: cellRequest(base, 'a red kite', { seed: 22 }),
    })
    expect(added.request.params).toMatchObject({ prompt: 'a red kite', seed: 22, duration_seconds: 4 })
    await within(cell('a red kite', 22)).findByText(/^Waiting to send · /)
    // The earlier task's video stays in the cell while the Re-run waits.
    expect(within(cell('a red kite', 22)).getAllByRole('checkbox', { name: 'Select' })).toHaveLength(1)
  })

  it('Cancel sweep removes what was not sent; those cells say so and offer Re-run', async () => {
    const experiment = await sweep()
    await finish(experiment, 0, 0)
    const sending = (await db.queue.toArray()).find((i) => i.cell?.row === 0 && i.cell.col === 1)!
    await db.queue.update(sending.id, { state: 'sending', sentAt: 2_500 })
    renderBoard(experiment.id)
    const region = await board()
    await userEvent.click(within(region).getByRole('button', { name: 'Cancel sweep' }))

    await waitFor(() => expect(within(region).getAllByText('Cancelled: not sent')).toHaveLength(2))
    // The request already on its way stays: its task will arrive.
    expect((await db.queue.toArray()).map((i) => i.id)).toEqual([sending.id])
    expect(within(cell('a red kite', 22)).getByText('Sending…')).toBeVisible()
    expect(within(cell('a blue kite', 11)).getByRole('button', { name: 'Re-run' })).toBeVisible()
    expect(within(region).queryByRole('button', { name: 'Cancel sweep' })).toBeNull()
    expect(within(region).getByText('1 of 2 tasks done · 1 sending · 2 cancelled')).toBeVisible()
  })

  it('shows a refused request in plain words with its details, and Re-run replaces it', async () => {
    const experiment = await sweep()
    const refused = (await db.queue.toArray()).find((i) => i.cell?.row === 1 && i.cell.col === 0)!
    await db.queue.update(refused.id, {
      state: 'failed',
      error: { message: 'The prompt is too long.', details: 'HTTP 400 INVALID_ARGUMENT' },
    })
    renderBoard(experiment.id)
    await board()
    const here = cell('a blue kite', 11)
    expect(within(here).getByText('Failed: The prompt is too long.')).toBeVisible()
    expect(within(here).getByText('HTTP 400 INVALID_ARGUMENT')).not.toBeVisible()
    await userEvent.click(within(here).getByRole('button', { name: 'Re-run' }))
    await waitFor(async () => expect(await db.queue.get(refused.id)).toBeUndefined())
    expect((await db.queue.toArray()).filter((i) => i.cell?.row === 1 && i.cell.col === 0)).toHaveLength(1)
  })

  it('a cell whose samples were all deleted says "Video deleted" and keeps Re-run; the header still counts the task done', async () => {
    const experiment = await sweep()
    await finish(experiment, 0, 0)
    await db.samples.toCollection().modify({ deletedAt: 5_000 })
    renderBoard(experiment.id)
    const region = await board()
    const here = cell('a red kite', 11)
    expect(within(here).getByText('Video deleted')).toBeVisible()
    expect(within(here).getByRole('button', { name: 'Re-run' })).toBeVisible()
    expect(within(region).getByText(/^1 of 4 tasks done · 3 waiting to send/)).toBeVisible()
    // A cell still on its way says where it stands, not "deleted".
    expect(within(cell('a red kite', 22)).queryByText('Video deleted')).toBeNull()
  })

  it('renames in place: Enter keeps the name, Escape the old one, and an empty name is refused', async () => {
    const experiment = await sweep()
    renderBoard(experiment.id)
    const region = await board()
    await userEvent.click(within(region).getByRole('button', { name: 'Rename' }))
    const field = within(region).getByRole('textbox', { name: 'Experiment name' })
    await userEvent.clear(field)
    await userEvent.keyboard('{Enter}')
    expect(within(region).getByRole('alert')).toHaveTextContent('Experiment name is empty.')
    await userEvent.type(field, 'Kites{Enter}')
    await waitFor(() => expect(region).toHaveAccessibleName('Experiment: Kites'))
    expect((await db.experiments.get(experiment.id))?.name).toBe('Kites')
    expect(within(region).getByRole('button', { name: 'Rename' })).toHaveFocus()

    await userEvent.click(within(region).getByRole('button', { name: 'Rename' }))
    await userEvent.type(within(region).getByRole('textbox', { name: 'Experiment name' }), ' two{Escape}')
    expect(within(region).getByRole('heading', { name: 'Kites' })).toBeVisible()
    expect(within(region).getByRole('button', { name: 'Rename' })).toHaveFocus()
    expect((await db.experiments.get(experiment.id))?.name).toBe('Kites')
  })

  it("shows a running task's percent from its poller's query, and a paused queue", async () => {
    const experiment = await sweep()
    const item = (await db.queue.toArray()).find((i) => i.cell?.row === 0 && i.cell.col === 0)!
    await db.queue.delete(item.id)
    await db.tasks.add({
      id: 'local:r',
      provider: 'local',
      taskId: 'r',
      request: item.request,
      createdAt: 2_000,
      status: 'TASK_STATUS_PROCESSING',
      reason: '',
      experimentId: experiment.id,
      cell: { row: 0, col: 0 },
    })
    await db.queue.update((await db.queue.toArray())[0]!.id, { notBefore: Date.now() + 60_000 })
    const client = new QueryClient()
    client.setQueryData(
      taskQueries.detail(connectionFor('local'), 'r').queryKey,
      taskResult({ task: { status: 'TASK_STATUS_PROCESSING', progress_percent: 40 } }),
    )
    renderBoard(experiment.id, client)
    const region = await board()
    expect(within(cell('a red kite', 11)).getByText('Rendering 40 %')).toBeVisible()
    expect(within(cell('a red kite', 11)).getByRole('progressbar', { name: 'Rendering' })).toHaveAttribute('aria-valuenow', '40')
    expect(within(region).getByText(/Paused/)).toHaveTextContent(/^· Paused for (59 s|1:00): the provider asked the studio to wait$/)
    expect(within(region).getByText(/^0 of 4 tasks done · 1 rendering · 3 waiting to send/)).toBeVisible()
  })

  it('Select on a board sample feeds the selection the gallery shares', async () => {
    const experiment = await sweep()
    await finish(experiment, 1, 0)
    let selected: ReadonlySet<string> = new Set()
    function Probe() {
      selected = useSelectedIds()
      return null
    }
    render(<Probe />)
    renderBoard(experiment.id)
    await board()
    const select = await within(cell('a blue kite', 11)).findByRole('checkbox', { name: 'Select' })
    const figure = select.closest('figure')!
    expect(figure).not.toHaveClass('ring-2')
    await userEvent.click(select)
    expect(select).toBeChecked()
    expect([...selected]).toEqual(['local:10#0'])
    // The gallery card's ring marks it as selected.
    expect(figure).toHaveClass('ring-2', 'ring-accent')
    await userEvent.click(select)
    expect(selected.size).toBe(0)
    expect(figure).not.toHaveClass('ring-2')
  })

  it('says so when the experiment is not in this studio', async () => {
    renderBoard('nope')
    expect(await screen.findByText(/This experiment is not in this studio/)).toBeVisible()
    expect(screen.getByRole('link', { name: 'All experiments' })).toHaveAttribute('href', '/experiments')
  })
})

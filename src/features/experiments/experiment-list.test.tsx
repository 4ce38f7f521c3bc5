import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { sampleRecord } from '../../../testing/sample-record'
import { afterEach, describe, expect, it } from 'vitest'
import { Router } from 'wouter'
import { memoryLocation } from 'wouter/memory-location'
import { db, type StoredRequest } from '../../db/db'
import { createExperiment, markCell } from '../../db/experiments'
import { UndoToasts } from '../../components/ui/undo-toasts'
import { ExperimentList } from './experiment-list'

const base: StoredRequest = { modelId: 'veo-3.1-generate-firstlastframe', params: {}, frames: {} }

async function experiment(name: string, createdAt: number, rows: string[], seeds: number[]) {
  const columns = seeds.map((seed) => ({ seed }))
  const cells = rows.flatMap((_, row) => columns.map((__, col) => ({ cell: { row, col }, request: base })))
  return createExperiment({ name, provider: 'local', base, rows, columns, cells }, createdAt)
}

function renderList() {
  render(
    <Router hook={memoryLocation({ path: '/experiments' }).hook}>
      <ExperimentList hrefOf={(id) => `/experiments/${id}`} />
      <UndoToasts />
    </Router>,
  )
}

afterEach(async () => {
  await db.delete()
  await db.open()
})

describe('ExperimentList', () => {
  it('lists experiments newest first, each a link to its board with its size, progress and winners', async () => {
    const old = await experiment('orbit', 1_000, ['orbit left', 'orbit right'], [1, 2, 3])
    const recent = await experiment('kites', 5_000, ['a kite'], [11, 22])
    const middle = await experiment('lanterns', 3_000, ['a lantern'], [7])
    // One of the kites is done; the other stays in the queue.
    const sent = (await db.queue.toArray()).find((i) => i.experimentId === recent.id && i.cell?.col === 0)!
    await db.queue.delete(sent.id)
    await db.tasks.add({
      id: 'local:k',
      provider: 'local',
      taskId: 'k',
      request: base,
      createdAt: 6_000,
      status: 'TASK_STATUS_SUCCEED',
      reason: '',
      finishedAt: 7_000,
      videoCount: 1,
      experimentId: recent.id,
      cell: { row: 0, col: 0 },
    })
    await markCell(old.id, { row: 1, col: 2 }, { winner: true })
    renderList()

    const links = within(await screen.findByRole('list', { name: 'Experiments, newest first' })).getAllByRole('link')
    expect(links.map((l) => l.getAttribute('href'))).toEqual([recent.id, middle.id, old.id].map((id) => `/experiments/${id}`))
    expect(links[0]).toHaveTextContent(/^kites/)
    expect(links[0]).toHaveTextContent('1 × 2 · 2 tasks')
    expect(links[0]).toHaveTextContent('1 of 2 done')
    expect(links[0]).toHaveTextContent('1 waiting to send')
    expect(links[0]).not.toHaveTextContent('winner')
    expect(links[2]).toHaveTextContent('2 × 3 · 6 tasks')
    expect(links[2]).toHaveTextContent('0 of 6 done')
    expect(links[2]).toHaveTextContent('1 winner')
  })

  it("shows the first finished sample's poster as a thumbnail, once its video is kept", async () => {
    // fake-indexeddb gives jsdom's Blob back as a plain object: any stored value stands for the poster here.
    URL.createObjectURL = () => 'blob:poster'
    URL.revokeObjectURL = () => {}
    const kites = await experiment('kites', 5_000, ['a kite'], [11, 22])
    await experiment('lanterns', 3_000, ['a lantern'], [7])
    const sent = (await db.queue.toArray()).find((i) => i.experimentId === kites.id && i.cell?.col === 1)!
    await db.queue.delete(sent.id)
    await db.tasks.add({
      id: 'local:k',
      provider: 'local',
      taskId: 'k',
      request: base,
      createdAt: 6_000,
      status: 'TASK_STATUS_SUCCEED',
      reason: '',
      finishedAt: 7_000,
      videoCount: 1,
      experimentId: kites.id,
      cell: { row: 0, col: 1 },
    })
    await db.samples.add(sampleRecord({ taskRecordId: 'local:k', request: base, stored: false }))
    renderList()
    const links = within(await screen.findByRole('list', { name: 'Experiments, newest first' })).getAllByRole('link')
    expect(links[0]!.querySelector('img')).toBeNull()
    // The video is kept: its poster shows, and the link keeps the experiment's name as its own.
    await db.transaction('rw', db.videos, db.samples, async () => {
      await db.videos.put({ sampleId: 'local:k#0', blob: new Blob(['v']), poster: new Blob(['poster']) })
      await db.samples.update('local:k#0', { stored: true })
    })
    await waitFor(() => expect(links[0]!.querySelector('img')).toHaveAttribute('src', 'blob:poster'))
    expect(links[0]).toHaveAccessibleName(/^kites/)
    expect(links[1]!.querySelector('img')).toBeNull()
  })

  it('says how to make one when there is none', async () => {
    renderList()
    expect(await screen.findByText('No experiments yet.')).toBeVisible()
    expect(screen.getByText(/Turn on Sweep in Compose/)).toBeVisible()
  })

  it('Delete experiment asks first, deletes it with its requests, and Undo brings it back', async () => {
    await experiment('kites', 5_000, ['a kite'], [11, 22])
    await experiment('lanterns', 3_000, ['a lantern'], [7])
    renderList()
    const kites = await screen.findByRole('listitem', { name: 'kites' })
    await userEvent.click(within(kites).getByRole('button', { name: 'Delete experiment' }))
    const dialog = screen.getByRole('dialog', { name: 'Delete “kites”?' })
    expect(dialog).toHaveTextContent('requests still waiting are not sent')
    // Cancel changes nothing.
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(await db.queue.count()).toBe(3)
    await userEvent.click(within(kites).getByRole('button', { name: 'Delete experiment' }))
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Delete “kites”?' })).getByRole('button', { name: 'Delete' }))
    await waitFor(() => expect(screen.queryByRole('listitem', { name: 'kites' })).not.toBeInTheDocument())
    expect(screen.getByRole('listitem', { name: 'lanterns' })).toBeInTheDocument()
    expect(await db.queue.count()).toBe(1)
    await userEvent.click(screen.getByRole('button', { name: 'Undo' }))
    expect(await screen.findByRole('listitem', { name: 'kites' })).toBeInTheDocument()
    expect(await db.queue.count()).toBe(3)
  })
})

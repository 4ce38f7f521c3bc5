import { act, render, renderHook, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sampleRecord } from '../../testing/sample-record'
import { UndoToasts } from '../components/ui/undo-toasts'
import { db } from '../db/db'
import { deleteSample } from '../db/samples'
import { useSelectionActions } from '../lib/selection-store'
import SelectionActions from './selection-actions'
import { SelectionBar } from './selection-bar'

const a = sampleRecord({ taskRecordId: 'local:a', stored: true })
const b = sampleRecord({ taskRecordId: 'local:b', stored: true })
const c = sampleRecord({ taskRecordId: 'local:c', stored: true })

/** The store's actions, to tick samples as the cards do. */
let actions: ReturnType<typeof useSelectionActions>
const select = (...ids: string[]) => {
  for (const id of ids) actions.toggle(id, true)
}

beforeEach(async () => {
  await db.samples.bulkPut([a, b, c])
  await db.videos.bulkPut([a, b, c].map((s) => ({ sampleId: s.id, blob: new Blob([s.id]) })))
  actions = renderHook(() => useSelectionActions()).result.current
})

afterEach(async () => {
  // The selection is app-wide state: each test starts with none.
  act(() => actions.clear())
  await db.delete()
  await db.open()
})

const bar = () => screen.getByRole('toolbar', { name: 'Selection' })

describe('SelectionBar', () => {
  it('loads its body on the first selection, and keeps it', async () => {
    render(<SelectionBar />)
    expect(screen.queryByRole('toolbar')).toBeNull()
    act(() => select(a.id))
    expect(await screen.findByRole('toolbar', { name: 'Selection' })).toHaveTextContent('1 selected')
  })
})

describe('SelectionActions', () => {
  beforeEach(() => {
    render(
      <>
        <SelectionActions />
        <UndoToasts />
      </>,
    )
  })

  it('shows only while something is selected, with the count', async () => {
    expect(screen.queryByRole('toolbar')).toBeNull()
    act(() => select(a.id, b.id, c.id))
    expect(bar()).toHaveTextContent('3 selected')
    await userEvent.click(within(bar()).getByRole('button', { name: 'Clear selection' }))
    expect(screen.queryByRole('toolbar')).toBeNull()
  })

  it('Favourite marks them all; when all are, it reads Unfavourite and unmarks them', async () => {
    await db.samples.update(a.id, { favourite: 1 })
    act(() => select(a.id, b.id))
    // Enabled once the bar has read the selected samples.
    const favourite = within(bar()).getByRole('button', { name: 'Favourite' })
    await waitFor(() => expect(favourite).toBeEnabled())
    await userEvent.click(favourite)
    await expect.poll(async () => (await db.samples.bulkGet([a.id, b.id, c.id])).map((s) => s?.favourite)).toEqual([1, 1, 0])
    await userEvent.click(await within(bar()).findByRole('button', { name: 'Unfavourite' }))
    await expect.poll(async () => (await db.samples.bulkGet([a.id, b.id])).map((s) => s?.favourite)).toEqual([0, 0])
    await within(bar()).findByRole('button', { name: 'Favourite' })
  })

  it('Delete asks first; Cancel keeps them', async () => {
    act(() => select(a.id, b.id))
    await userEvent.click(within(bar()).getByRole('button', { name: 'Delete' }))
    const dialog = screen.getByRole('dialog', { name: 'Delete 2 videos?' })
    expect(dialog).toHaveTextContent(/undo for 10 seconds/)
    expect(await db.samples.filter((s) => s.deletedAt !== undefined).count()).toBe(0)
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(bar()).toHaveTextContent('2 selected')
    expect(await db.samples.filter((s) => s.deletedAt !== undefined).count()).toBe(0)
  })

  it('Delete removes them all with one stamp and one toast, whose Undo brings them all back', async () => {
    act(() => select(a.id, b.id))
    await userEvent.click(within(bar()).getByRole('button', { name: 'Delete' }))
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }))
    const toast = await screen.findByRole('status')
    expect(toast).toHaveTextContent('2 videos deleted')
    expect(screen.queryByRole('toolbar')).toBeNull()
    const stamps = (await db.samples.bulkGet([a.id, b.id, c.id])).map((s) => s?.deletedAt)
    expect(stamps[0]).toBeTypeOf('number')
    expect(stamps).toEqual([stamps[0], stamps[0], undefined])
    await userEvent.click(within(toast).getByRole('button', { name: 'Undo' }))
    await expect.poll(async () => (await db.samples.bulkGet([a.id, b.id])).map((s) => s?.deletedAt)).toEqual([undefined, undefined])
    expect(screen.queryByRole('status')).toBeNull()
  })

  it('a toast closed without Undo purges them, videos too', async () => {
    act(() => select(a.id, b.id))
    await userEvent.click(within(bar()).getByRole('button', { name: 'Delete' }))
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }))
    await userEvent.click(within(await screen.findByRole('status')).getByRole('button', { name: 'Close notification' }))
    await expect.poll(async () => (await db.samples.toArray()).map((s) => s.id)).toEqual([c.id])
    expect(await db.videos.count()).toBe(1)
  })

  it('drops a sample deleted elsewhere from the selection', async () => {
    act(() => select(a.id, b.id))
    await deleteSample(a.id)
    await waitFor(() => expect(bar()).toHaveTextContent('1 selected'))
  })

  it('Esc clears the selection, but not while typing in a field', async () => {
    act(() => select(a.id))
    const field = document.createElement('input')
    document.body.append(field)
    field.focus()
    await userEvent.keyboard('{Escape}')
    expect(bar()).toHaveTextContent('1 selected')
    field.remove()
    await userEvent.keyboard('{Escape}')
    expect(screen.queryByRole('toolbar')).toBeNull()
  })
})

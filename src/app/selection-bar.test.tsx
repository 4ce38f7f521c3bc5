import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, render, renderHook, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { http, HttpResponse } from 'msw'
import type { ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { applyLibraryChange } from '../api/library-queries'
import { UndoToasts } from '../components/ui/undo-toasts'
import { useSelectionActions } from '../lib/selection-store'
import { useUndoActions, useUndoables } from '../lib/undo-store'
import { answerWith, fakeSample, seedSamples, withFakeLibrary } from '../test/fake-library'
import SelectionActions from './selection-actions'
import { SelectionBar } from './selection-bar'

const library = withFakeLibrary()
const [a, b, c] = ['local:a#0', 'local:b#0', 'local:c#0']

/** The store's actions, to tick samples as the cards do. */
let actions: ReturnType<typeof useSelectionActions>
const select = (...ids: string[]) => {
  for (const id of ids) actions.toggle(id, true)
}
let client: QueryClient

beforeEach(() => {
  seedSamples(...[a, b, c].map((id, i) => fakeSample({ id, createdAt: i, stored: true, videoSha256: `${i}`.repeat(64) })))
  actions = renderHook(() => useSelectionActions()).result.current
  client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
})

afterEach(() => {
  // The selection and the toasts are app-wide state: each test starts with none.
  const left = renderHook(() => ({ items: useUndoables(), undo: useUndoActions() })).result.current
  act(() => {
    actions.clear()
    for (const item of left.items) left.undo.settle(item.key, false)
  })
  localStorage.clear()
})

const withLibrary = (ui: ReactNode) => render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>)
const bar = () => screen.getByRole('toolbar', { name: 'Selection' })
const writes = () => library.calls.filter((x) => x.method !== 'GET').map(({ method, path, body }) => ({ method, path, body }))
const deletedAt = (id: string) => library.samples.get(id)!.deletedAt

describe('SelectionBar', () => {
  it('loads its body on the first selection, and keeps it', async () => {
    withLibrary(<SelectionBar />)
    expect(screen.queryByRole('toolbar')).toBeNull()
    act(() => select(a))
    expect(await screen.findByRole('toolbar', { name: 'Selection' })).toHaveTextContent('1 selected')
  })
})

describe('SelectionActions', () => {
  beforeEach(() => {
    withLibrary(
      <>
        <SelectionActions />
        <UndoToasts />
      </>,
    )
  })

  it('shows only while something is selected, with the count', async () => {
    expect(screen.queryByRole('toolbar')).toBeNull()
    act(() => select(a, b, c))
    expect(bar()).toHaveTextContent('3 selected')
    await userEvent.click(within(bar()).getByRole('button', { name: 'Clear selection' }))
    expect(screen.queryByRole('toolbar')).toBeNull()
  })

  it('Favourite marks them all in one call; when all are, it reads Unfavourite and unmarks them', async () => {
    library.samples.get(a)!.favourite = true
    act(() => select(a, b))
    // Enabled once the bar has read the selected samples.
    const favourite = within(bar()).getByRole('button', { name: 'Favourite' })
    await waitFor(() => expect(favourite).toBeEnabled())
    await userEvent.click(favourite)
    await userEvent.click(await within(bar()).findByRole('button', { name: 'Unfavourite' }))
    await within(bar()).findByRole('button', { name: 'Favourite' })
    await waitFor(() => expect(writes()).toHaveLength(2))
    expect(writes()).toEqual([
      { method: 'POST', path: '/samples/favourite', body: { ids: [a, b], favourite: true } },
      { method: 'POST', path: '/samples/favourite', body: { ids: [a, b], favourite: false } },
    ])
    expect([a, b, c].map((id) => library.samples.get(id)!.favourite)).toEqual([false, false, false])
  })

  it('a Favourite the gateway refuses says so, and the marks stay as they were', async () => {
    answerWith(http.post('*/api/library/samples/favourite', () => HttpResponse.json({ message: 'The library is busy.' }, { status: 409 })))
    act(() => select(a, b))
    const favourite = within(bar()).getByRole('button', { name: 'Favourite' })
    await waitFor(() => expect(favourite).toBeEnabled())
    await userEvent.click(favourite)
    expect(await within(bar()).findByText('Favourite did not go through: The library is busy.')).toBeVisible()
    expect(within(bar()).getByRole('button', { name: 'Favourite' })).toBeEnabled()
  })

  it('Delete asks first; Cancel keeps them', async () => {
    act(() => select(a, b))
    await userEvent.click(within(bar()).getByRole('button', { name: 'Delete' }))
    const dialog = screen.getByRole('dialog', { name: 'Delete 2 videos?' })
    expect(dialog).toHaveTextContent(/undo for 10 seconds; after that the videos are removed from the library for good/)
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(bar()).toHaveTextContent('2 selected')
    expect(writes()).toEqual([])
  })

  it('Delete removes them all with one stamp and one toast, whose Undo brings them all back', async () => {
    act(() => select(a, b))
    await userEvent.click(within(bar()).getByRole('button', { name: 'Delete' }))
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }))
    const toast = await screen.findByRole('status')
    expect(toast).toHaveTextContent('2 videos deleted')
    expect(screen.queryByRole('toolbar')).toBeNull()
    expect(deletedAt(a)).toBeTypeOf('number')
    expect([a, b, c].map(deletedAt)).toEqual([deletedAt(a), deletedAt(a), undefined])
    await userEvent.click(within(toast).getByRole('button', { name: 'Undo' }))
    await waitFor(() => expect([a, b].map(deletedAt)).toEqual([undefined, undefined]))
    expect(screen.queryByRole('status')).toBeNull()
    expect(writes().map((w) => w.path)).toEqual(['/samples/delete', '/samples/restore'])
  })

  it('a Delete the gateway refuses leaves them selected, and the bar says why', async () => {
    answerWith(http.post('*/api/library/samples/delete', () => HttpResponse.json({ message: 'The library is busy.' }, { status: 409 })))
    act(() => select(a, b))
    await userEvent.click(within(bar()).getByRole('button', { name: 'Delete' }))
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }))
    expect(await screen.findByText('2 videos not deleted: The library is busy.')).toBeVisible()
    expect(bar()).toHaveTextContent('2 selected')
    expect(screen.queryByRole('status')).toBeNull()
  })

  it('a toast closed without Undo lets the deletion stand: nothing more is sent', async () => {
    act(() => select(a, b))
    await userEvent.click(within(bar()).getByRole('button', { name: 'Delete' }))
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }))
    await userEvent.click(within(await screen.findByRole('status')).getByRole('button', { name: 'Close notification' }))
    expect(screen.queryByRole('status')).toBeNull()
    expect(writes().map((w) => w.path)).toEqual(['/samples/delete'])
    expect([a, b].map(deletedAt)).toEqual([deletedAt(a), deletedAt(a)])
  })

  it('drops a sample deleted elsewhere (another tab, by the change feed) from the selection', async () => {
    act(() => select(a, b))
    await waitFor(() => expect(within(bar()).getByRole('button', { name: 'Favourite' })).toBeEnabled())
    library.samples.get(a)!.deletedAt = Date.now()
    act(() => applyLibraryChange(client, { topic: 'samples', ids: [a] }))
    await waitFor(() => expect(bar()).toHaveTextContent('1 selected'))
  })

  it('Esc clears the selection, but not while typing in a field', async () => {
    act(() => select(a))
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

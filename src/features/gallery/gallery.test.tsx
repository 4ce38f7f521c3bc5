import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, render, renderHook, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { http, HttpResponse } from 'msw'
import { createRef, type ReactNode } from 'react'
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { libraryKeys, libraryQueries } from '../../api/library-queries'
import { UndoToasts } from '../../components/ui/undo-toasts'
import { dismissSampleProblem, sampleWrites } from '../../db/sample-writes'
import { useSelectedIds, useSelectionActions } from '../../lib/selection-store'
import { useUndoActions, useUndoables } from '../../lib/undo-store'
import { answerWith, fakeSample, seedSamples, seedTasks, withFakeLibrary, type FakeTask } from '../../test/fake-library'
import { Gallery } from './gallery'

const library = withFakeLibrary()

const sample = (taskRecordId: string, index: number, prompt: string, createdAt: number) =>
  fakeSample({
    id: `${taskRecordId}#${index}`,
    createdAt,
    request: { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt }, frames: {} },
  })
// Newest first: b's two samples (made together), then a.
const seed = () =>
  seedSamples(sample('local:a', 0, 'orbit left', 1), sample('local:b', 0, 'pan right', 2), sample('local:b', 1, 'pan right', 2))

afterEach(() => {
  // The selection and the toasts are app-wide state: each test starts with none (a toast left is let go).
  const selection = renderHook(() => useSelectionActions()).result.current
  const left = renderHook(() => ({ items: useUndoables(), undo: useUndoActions() })).result.current
  act(() => {
    selection.clear()
    for (const item of left.items) left.undo.settle(item.key, false)
  })
  dismissSampleProblem()
  localStorage.clear()
})

const noop = () => {}
let client: QueryClient

function renderWithLibrary(ui: ReactNode) {
  client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  return render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>)
}

/** The gallery with the studio's Undo toasts, as the app lays them out. */
function WithToasts() {
  return (
    <>
      <Gallery onUseSettings={noop} onTrySamples={noop} />
      <UndoToasts />
    </>
  )
}

/** The gallery with what the studio's selection bar would read: the ids ticked, in order. */
function WithSelection() {
  const ids = useSelectedIds()
  return (
    <>
      <Gallery onUseSettings={noop} onTrySamples={noop} />
      <output aria-label="Selected">{[...ids].join(',')}</output>
    </>
  )
}

const writes = () => library.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`)

describe('Gallery', () => {
  it('shows the library’s samples as cards, with their count, and the one samples list is read once', async () => {
    seed()
    renderWithLibrary(<Gallery onUseSettings={noop} onTrySamples={noop} />)
    expect(await screen.findByText('3 of 3')).toBeVisible()
    expect(screen.getAllByRole('article', { name: /^Sample:/ }).map((a) => a.getAttribute('data-sample-id'))).toEqual([
      'local:b#0',
      'local:b#1',
      'local:a#0',
    ])
    expect(library.calls.filter((c) => c.path.startsWith('/samples'))).toHaveLength(1)
  })

  it('a task still running holds the place of its samples, named as everywhere else', async () => {
    seed()
    seedTasks({
      id: 'local:r',
      provider: 'local',
      taskId: 'r',
      request: { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'a harbour at dawn' }, frames: {} },
      createdAt: 10,
      status: 'TASK_STATUS_PROCESSING',
      reason: '',
      dismissed: false,
      progressPercent: 40,
    } as FakeTask)
    renderWithLibrary(<Gallery onUseSettings={noop} onTrySamples={noop} />)
    const placeholder = await screen.findByRole('article', { name: /^On its way: a harbour at dawn/ })
    expect(placeholder).toHaveTextContent('Rendering 40 %')
  })

  it("scrolls the revealed task's first sample to the middle of the list, also when far down, and again when asked again", async () => {
    // jsdom has no layout: every row is 300 px tall (one card a row, as jsdom's width is 0), and the list records
    // where it is asked to scroll.
    const tops: number[] = []
    const scrollTo = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollTo')
    Element.prototype.scrollTo = function (this: Element, options?: ScrollToOptions | number) {
      if (typeof options === 'object' && this.getAttribute('aria-label') === 'Samples') tops.push(options.top ?? 0)
    } as Element['scrollTo']
    onTestFinished(() => {
      if (scrollTo) Object.defineProperty(Element.prototype, 'scrollTo', scrollTo)
      else delete (Element.prototype as Partial<Element>).scrollTo
    })
    const sizes = [
      vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(function (this: HTMLElement) {
        return this.tagName === 'LI' ? 300 : 0
      }),
      // The list scrolls as far as its rows reach (the virtualizer never asks for more).
      vi.spyOn(Element.prototype, 'scrollHeight', 'get').mockImplementation(function (this: Element) {
        return this.tagName === 'UL' ? 33 * 312 : 0
      }),
    ]
    // Thirty newer samples first: "pan right" is the 31st card.
    seed()
    seedSamples(...Array.from({ length: 30 }, (_, i) => sample(`local:n${i}`, 0, 'newer', 100 + i)))
    const { rerender } = renderWithLibrary(<Gallery onUseSettings={noop} onTrySamples={noop} reveal={{ taskRecordId: 'local:b', at: 1 }} />)
    await screen.findByText('33 of 33')
    await waitFor(() => expect(tops.length).toBeGreaterThan(0))
    // Row 30: far below the first rows (rows not drawn yet count at their estimated height, so not exactly 30 × 312).
    expect(Math.max(...tops)).toBeGreaterThan(20 * 312)
    const asked = tops.length
    rerender(
      <QueryClientProvider client={client}>
        <Gallery onUseSettings={noop} onTrySamples={noop} reveal={{ taskRecordId: 'local:b', at: 2 }} />
      </QueryClientProvider>,
    )
    await waitFor(() => expect(tops.length).toBeGreaterThan(asked))
    for (const size of sizes) size.mockRestore()
  })

  it("the player plays the library's copy, over its still", async () => {
    // jsdom plays nothing: the hover on the way to the click plays the card's preview.
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue()
    vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => {})
    onTestFinished(() => void vi.restoreAllMocks())
    seedSamples({ ...sample('local:k', 0, 'a kept kite', 5), stored: true, videoSha256: 'a'.repeat(64), posterSha256: 'b'.repeat(64) })
    renderWithLibrary(<Gallery onUseSettings={noop} onTrySamples={noop} />)
    await userEvent.click(await screen.findByRole('button', { name: /^Open player: a kept kite/ }))
    const player = await screen.findByRole('dialog', { name: 'Player' })
    const video = within(player).getByLabelText('Video: a kept kite')
    expect(video).toHaveAttribute('src', `/api/library/files/${'a'.repeat(64)}`)
    expect(video).toHaveAttribute('poster', `/api/library/files/${'b'.repeat(64)}`)
  })

  it('hands its search field to the studio, for the / shortcut', async () => {
    seed()
    const search = createRef<HTMLInputElement>()
    renderWithLibrary(<Gallery onUseSettings={noop} onTrySamples={noop} searchRef={search} />)
    await screen.findAllByRole('article')
    expect(search.current).toBe(screen.getByLabelText('Search'))
  })

  it('marks every sample of the revealed task, and no other', async () => {
    seed()
    renderWithLibrary(<Gallery onUseSettings={noop} onTrySamples={noop} reveal={{ taskRecordId: 'local:b', at: 1 }} />)
    const cards = await screen.findAllByRole('article', { name: /^Sample:/ })
    const marked = cards.filter((c) => c.dataset.highlighted === 'true')
    expect(marked).toHaveLength(2)
    for (const c of marked) expect(c).toHaveAccessibleName(/^Sample: pan right/)
  })

  it('a favourite sticks: marked at once, kept by the gateway, still marked when the list is read again', async () => {
    seed()
    renderWithLibrary(<Gallery onUseSettings={noop} onTrySamples={noop} />)
    const card = await screen.findByRole('article', { name: /^Sample: orbit left/ })
    await userEvent.click(within(card).getByRole('button', { name: /Favourite/ }))
    expect(within(card).getByRole('button', { name: /Favourite/ })).toHaveAttribute('aria-pressed', 'true')
    await waitFor(() => expect(library.samples.get('local:a#0')!.favourite).toBe(true))
    await act(() => client.invalidateQueries({ queryKey: libraryKeys.samples() }))
    const again = screen.getByRole('article', { name: /^Sample: orbit left/ })
    expect(within(again).getByRole('button', { name: /Favourite/ })).toHaveAttribute('aria-pressed', 'true')
  })

  it('Delete hides the sample at once and offers Undo, which brings it back: both through the gateway', async () => {
    seed()
    renderWithLibrary(<WithToasts />)
    const card = await screen.findByRole('article', { name: /^Sample: orbit left/ })
    await userEvent.click(within(card).getByRole('button', { name: 'Delete' }))
    expect(screen.queryByRole('article', { name: /^Sample: orbit left/ })).toBeNull()
    const toast = await screen.findByRole('status')
    expect(toast).toHaveTextContent('Deleted “orbit left”.')
    expect(screen.getByText('2 of 2')).toBeVisible()
    expect(library.samples.get('local:a#0')!.deletedAt).toBeTypeOf('number')
    await userEvent.click(within(toast).getByRole('button', { name: 'Undo' }))
    await screen.findByRole('article', { name: /^Sample: orbit left/ })
    expect(screen.queryByRole('status')).toBeNull()
    await waitFor(() => expect(library.samples.get('local:a#0')!.deletedAt).toBeUndefined())
    expect(writes()).toEqual(['POST /samples/delete', 'POST /samples/restore'])
  })

  it('a Delete the gateway refuses puts the card back and says why', async () => {
    seed()
    answerWith(http.post('*/api/library/samples/delete', () => HttpResponse.json({ message: 'The library is busy.' }, { status: 409 })))
    renderWithLibrary(<WithToasts />)
    const card = await screen.findByRole('article', { name: /^Sample: orbit left/ })
    await userEvent.click(within(card).getByRole('button', { name: 'Delete' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('“orbit left” was not deleted: The library is busy.')
    expect(screen.getByRole('article', { name: /^Sample: orbit left/ })).toBeVisible()
    expect(screen.queryByRole('status')).toBeNull()
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }))
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('Esc dismisses the toast and the delete stands; deleted from the keyboard, the focus goes to Undo', async () => {
    seed()
    const { unmount } = renderWithLibrary(<WithToasts />)
    const card = await screen.findByRole('article', { name: /^Sample: orbit left/ })
    within(card).getByRole('button', { name: 'Delete' }).focus()
    await userEvent.keyboard('{Enter}')
    const toast = await screen.findByRole('status')
    await waitFor(() => expect(within(toast).getByRole('button', { name: 'Undo' })).toHaveFocus())
    await userEvent.keyboard('{Escape}')
    expect(screen.queryByRole('status')).toBeNull()
    expect(writes()).toEqual(['POST /samples/delete'])
    // A reload offers no Undo for it again.
    unmount()
    renderWithLibrary(<WithToasts />)
    await screen.findByText('2 of 2')
    expect(screen.queryByRole('status')).toBeNull()
  })

  it('every card has a Select checkbox, shown on hover or focus until something is selected, and a ring when selected', async () => {
    seed()
    renderWithLibrary(<WithSelection />)
    const cards = await screen.findAllByRole('article', { name: /^Sample:/ })
    const boxes = cards.map((card) => within(card).getByRole('checkbox', { name: 'Select' }))
    expect(boxes).toHaveLength(3)
    // Reachable by role and by keyboard, only faded for the eye.
    expect(boxes[0]!.closest('label')).toHaveClass('opacity-0')
    boxes[1]!.focus()
    await userEvent.keyboard(' ')
    expect(boxes[1]).toBeChecked()
    expect(cards[1]).toHaveAttribute('data-selected', 'true')
    expect(cards[0]).not.toHaveAttribute('data-selected')
    expect(screen.getByRole('status', { name: 'Selected' })).toHaveTextContent(cards[1]!.getAttribute('data-sample-id')!)
    // Once anything is selected, every box shows.
    expect(boxes[0]!.closest('label')).toHaveClass('opacity-100')
    await userEvent.click(boxes[1]!)
    expect(cards[1]).not.toHaveAttribute('data-selected')
    expect(screen.getByRole('status', { name: 'Selected' })).toBeEmptyDOMElement()
  })

  it('offers a bulk deletion again after a reload as one toast, whose Undo brings all of it back', async () => {
    seed()
    // Deleted in the tab before the reload.
    const before = new QueryClient()
    await before.fetchQuery(libraryQueries.samples())
    await sampleWrites(before).deleteSamples(['local:b#0', 'local:b#1'], '2 videos deleted')
    renderWithLibrary(<WithToasts />)
    const toast = await screen.findByRole('status')
    expect(toast).toHaveTextContent('2 videos deleted')
    expect(screen.getAllByRole('status')).toHaveLength(1)
    expect(await screen.findByText('1 of 1')).toBeVisible()
    await userEvent.click(within(toast).getByRole('button', { name: 'Undo' }))
    await waitFor(() => expect(screen.getAllByRole('article', { name: /^Sample: pan right/ })).toHaveLength(2))
  })
})

import { act, render, renderHook, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { createRef } from 'react'
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { sampleRecord } from '../../../testing/sample-record'
import { UndoToasts } from '../../components/ui/undo-toasts'
import { db } from '../../db/db'
import { deleteSamples } from '../../db/samples'
import { useSelectedIds, useSelectionActions } from '../../lib/selection-store'
import { Gallery } from './gallery'

const sample = (taskRecordId: string, index: number, prompt: string) =>
  sampleRecord({
    taskRecordId,
    index,
    createdAt: index,
    request: { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt }, frames: {} },
  })

beforeEach(async () => {
  await db.samples.bulkPut([sample('local:a', 0, 'orbit left'), sample('local:b', 0, 'pan right'), sample('local:b', 1, 'pan right')])
})

afterEach(async () => {
  // The selection is app-wide state: each test starts with none.
  const selection = renderHook(() => useSelectionActions()).result.current
  act(() => selection.clear())
  await db.delete()
  await db.open()
})

const noop = () => {}

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

describe('Gallery', () => {
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
    await db.samples.bulkPut(Array.from({ length: 30 }, (_, i) => sampleRecord({ taskRecordId: `local:n${i}`, createdAt: 100 + i })))
    const { rerender } = render(<Gallery onUseSettings={noop} onTrySamples={noop} reveal={{ taskRecordId: 'local:b', at: 1 }} />)
    await screen.findByText('33 of 33')
    await waitFor(() => expect(tops.length).toBeGreaterThan(0))
    // Row 30: far below the first rows (rows not drawn yet count at their estimated height, so not exactly 30 × 312).
    expect(Math.max(...tops)).toBeGreaterThan(20 * 312)
    const asked = tops.length
    rerender(<Gallery onUseSettings={noop} onTrySamples={noop} reveal={{ taskRecordId: 'local:b', at: 2 }} />)
    await waitFor(() => expect(tops.length).toBeGreaterThan(asked))
    for (const size of sizes) size.mockRestore()
  })

  it('hands its search field to the studio, for the / shortcut', async () => {
    const search = createRef<HTMLInputElement>()
    render(<Gallery onUseSettings={noop} onTrySamples={noop} searchRef={search} />)
    await screen.findAllByRole('article')
    expect(search.current).toBe(screen.getByLabelText('Search'))
  })

  it('marks every sample of the revealed task, and no other', async () => {
    render(<Gallery onUseSettings={noop} onTrySamples={noop} reveal={{ taskRecordId: 'local:b', at: 1 }} />)
    const cards = await screen.findAllByRole('article', { name: /^Sample:/ })
    const marked = cards.filter((c) => c.dataset.highlighted === 'true')
    expect(marked).toHaveLength(2)
    for (const c of marked) expect(c).toHaveAccessibleName(/^Sample: pan right/)
  })

  it('Delete hides the sample at once and offers Undo, which brings it back', async () => {
    render(<WithToasts />)
    const card = await screen.findByRole('article', { name: /^Sample: orbit left/ })
    await userEvent.click(within(card).getByRole('button', { name: 'Delete' }))
    const toast = await screen.findByRole('status')
    expect(toast).toHaveTextContent('orbit left')
    await waitFor(() => expect(screen.queryByRole('article', { name: /^Sample: orbit left/ })).toBeNull())
    expect((await db.samples.get('local:a#0'))?.deletedAt).toBeTypeOf('number')
    await userEvent.click(within(toast).getByRole('button', { name: 'Undo' }))
    await screen.findByRole('article', { name: /^Sample: orbit left/ })
    expect(screen.queryByRole('status')).toBeNull()
  })

  it('Esc dismisses the toast, and the sample goes for good; deleted from the keyboard, the focus goes to Undo', async () => {
    render(<WithToasts />)
    const card = await screen.findByRole('article', { name: /^Sample: orbit left/ })
    within(card).getByRole('button', { name: 'Delete' }).focus()
    await userEvent.keyboard('{Enter}')
    const toast = await screen.findByRole('status')
    await waitFor(() => expect(within(toast).getByRole('button', { name: 'Undo' })).toHaveFocus())
    await userEvent.keyboard('{Escape}')
    expect(screen.queryByRole('status')).toBeNull()
    await expect.poll(() => db.samples.get('local:a#0')).toBeUndefined()
  })

  it('every card has a Select checkbox, shown on hover or focus until something is selected, and a ring when selected', async () => {
    render(<WithSelection />)
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
    await deleteSamples(['local:b#0', 'local:b#1'], Date.now())
    render(<WithToasts />)
    const toast = await screen.findByRole('status')
    expect(toast).toHaveTextContent('2 videos deleted')
    expect(screen.getAllByRole('status')).toHaveLength(1)
    await userEvent.click(within(toast).getByRole('button', { name: 'Undo' }))
    await waitFor(() => expect(screen.getAllByRole('article', { name: /^Sample: pan right/ })).toHaveLength(2))
  })
})

import { act, render, renderHook, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { createRef } from 'react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
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

const scrolled: Element[] = []

beforeEach(async () => {
  // jsdom has no layout: record which card the gallery asks to bring into view.
  HTMLElement.prototype.scrollIntoView = function (this: HTMLElement) {
    scrolled.push(this)
  }
  await db.samples.bulkPut([sample('local:a', 0, 'orbit left'), sample('local:b', 0, 'pan right'), sample('local:b', 1, 'pan right')])
})

afterEach(async () => {
  scrolled.length = 0
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
  it("scrolls to the revealed task's first sample, and again when asked again", async () => {
    const { rerender } = render(<Gallery onUseSettings={noop} onTrySamples={noop} reveal={{ taskRecordId: 'local:b', at: 1 }} />)
    await screen.findAllByRole('article', { name: /pan right/ })
    // The scroll is an effect: under load it may run just after the cards appear.
    await waitFor(() => expect(scrolled).toHaveLength(1))
    expect(scrolled[0]).toHaveAccessibleName(/^Sample: pan right/)
    rerender(<Gallery onUseSettings={noop} onTrySamples={noop} reveal={{ taskRecordId: 'local:b', at: 2 }} />)
    expect(scrolled).toHaveLength(2)
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

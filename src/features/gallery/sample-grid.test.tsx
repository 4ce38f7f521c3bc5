import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { sampleRecord } from '../../../testing/sample-record'
import { SampleGrid, type Cell } from './sample-grid'

const noop = () => {}
const cells: Cell[] = Array.from({ length: 40 }, (_, i) => ({
  kind: 'sample',
  sample: sampleRecord({
    taskRecordId: `local:t${i}`,
    request: { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: `card ${i}` }, frames: {} },
  }),
}))

afterEach(() => vi.restoreAllMocks())

/** The grid as the gallery draws it, and the query cache its cards could reach. */
function renderGrid(of: readonly Cell[]) {
  const client = new QueryClient()
  render(
    <QueryClientProvider client={client}>
      <SampleGrid
        cells={of}
        ordinals={new Map()}
        highlighted={undefined}
        reveal={undefined}
        toastRoom={false}
        onOpen={noop}
        onUseSettings={noop}
        onDelete={noop}
      />
    </QueryClientProvider>,
  )
  return client
}

describe('SampleGrid', () => {
  it('a card asks the gateway nothing of its own: the gallery reads the one samples list and hands each card its sample', () => {
    const archived: Cell[] = Array.from({ length: 1000 }, (_, i) => ({
      kind: 'sample',
      sample: sampleRecord({
        taskRecordId: `local:k${i}`,
        stored: true,
        videoSha256: `${i}`.padStart(64, 'a'),
        posterSha256: `${i}`.padStart(64, 'b'),
      }),
    }))
    const client = renderGrid(archived)
    expect(screen.getAllByRole('article').length).toBeGreaterThan(0)
    expect(client.getQueryCache().getAll()).toEqual([])
    // At rest each drawn card shows its still, and holds no <video>.
    expect(document.querySelectorAll('video')).toHaveLength(0)
    expect(document.querySelector('article img')).toHaveAttribute('src', `/api/library/files/${'0'.padStart(64, 'b')}`)
  })

  it('keeps the element of a card still drawn while rows come and go around it: scrolling mounts only the new rows', () => {
    // jsdom has no layout: one card a row (its width is 0), every row 300 px tall, the view 800 px (the list's guess).
    vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(function (this: HTMLElement) {
      return this.tagName === 'LI' ? 300 : 0
    })
    renderGrid(cells)
    const list = screen.getByRole('list', { name: 'Samples' })
    const drawn = () => new Map(screen.getAllByRole('article').map((a) => [a.getAttribute('aria-label'), a]))
    const before = drawn()
    expect(before.has('Sample: card 0 (seed 1)')).toBe(true)
    expect(before.has('Sample: card 4 (seed 1)')).toBe(true)

    // Scrolled down by five rows: the first rows go, new ones come, and the cards in between are the same elements.
    Object.defineProperty(list, 'scrollTop', { configurable: true, value: 5 * 312 })
    act(() => {
      list.dispatchEvent(new Event('scroll'))
    })
    const after = drawn()
    expect(after.has('Sample: card 0 (seed 1)')).toBe(false)
    // New rows came: cards not drawn before.
    expect([...after.keys()].some((name) => !before.has(name))).toBe(true)
    const kept = [...after].filter(([name]) => before.has(name))
    expect(kept.length).toBeGreaterThan(1)
    for (const [name, element] of kept) expect({ name, same: element === before.get(name) }).toEqual({ name, same: true })
  })
})

import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { renderHook, waitFor } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { libraryKeys, libraryQueries } from '../api/library-queries'
import { answerWith, fakeSample, seedSamples, withFakeLibrary } from '../test/fake-library'
import type { SampleRecord } from './db'
import { heldDeletions } from './held-deletions'
import { dismissSampleProblem, sampleWrites, useSampleProblem } from './sample-writes'
import { useLiveSamples, useSamples } from './samples'

const library = withFakeLibrary()
afterEach(() => {
  localStorage.clear()
  dismissSampleProblem()
})

const a = () => fakeSample({ id: 'local:a#0', createdAt: 1000 })
const b0 = () => fakeSample({ id: 'local:b#0', createdAt: 2000 })
const b1 = () => fakeSample({ id: 'local:b#1', createdAt: 2000, favourite: true })

function client() {
  return new QueryClient({ defaultOptions: { queries: { retry: false } } })
}
const wrapperOf = (c: QueryClient) =>
  function Wrapper({ children }: { children: ReactNode }) {
    return <QueryClientProvider client={c}>{children}</QueryClientProvider>
  }

/** The samples list as the studio holds it now, read once from the gateway. */
async function loaded() {
  const c = client()
  await c.fetchQuery(libraryQueries.samples())
  const list = () => c.getQueryData<SampleRecord[]>(libraryKeys.samples())!
  return { c, writes: sampleWrites(c), list, ids: () => list().map((s) => s.id) }
}
const calls = () => library.calls.filter((x) => x.method !== 'GET').map(({ method, path, body }) => ({ method, path, body }))

describe('the samples, read from the gateway', () => {
  it('newest first, a task’s samples in their own order, favourite as 0 or 1; undefined until read', async () => {
    seedSamples(a(), b1(), b0(), fakeSample({ id: 'local:gone#0', deletedAt: 5 }))
    const { result } = renderHook(() => useSamples(), { wrapper: wrapperOf(client()) })
    expect(result.current).toBeUndefined()
    await waitFor(() =>
      expect(result.current?.map((s) => [s.id, s.favourite])).toEqual([
        ['local:b#0', 0],
        ['local:b#1', 1],
        ['local:a#0', 0],
      ]),
    )
  })

  it('useLiveSamples gives the ones asked for, in the order asked, leaving out what is gone', async () => {
    seedSamples(a(), b0(), b1())
    const { result, rerender } = renderHook(({ ids }) => useLiveSamples(ids), {
      wrapper: wrapperOf(client()),
      initialProps: { ids: ['local:b#1', 'local:nope#0', 'local:a#0'] },
    })
    expect(result.current).toBeUndefined()
    await waitFor(() => expect(result.current?.map((s) => s.id)).toEqual(['local:b#1', 'local:a#0']))
    rerender({ ids: ['local:a#0'] })
    expect(result.current?.map((s) => s.id)).toEqual(['local:a#0'])
  })
})

describe('favourites', () => {
  it('a press marks the sample at once and tells the gateway; two quick presses both count, in order', async () => {
    seedSamples(a())
    const { writes, list } = await loaded()
    const first = writes.toggleFavourite('local:a#0')
    expect(list()[0]!.favourite).toBe(1)
    const second = writes.toggleFavourite('local:a#0')
    expect(list()[0]!.favourite).toBe(0)
    await Promise.all([first, second])
    expect(calls()).toEqual([
      { method: 'PATCH', path: '/samples/local%3Aa%230', body: { favourite: true } },
      { method: 'PATCH', path: '/samples/local%3Aa%230', body: { favourite: false } },
    ])
    expect(library.samples.get('local:a#0')!.favourite).toBe(false)
  })

  it('several at once go in one call', async () => {
    seedSamples(a(), b0(), b1())
    const { writes, list } = await loaded()
    await writes.setFavourite(['local:a#0', 'local:b#0'], true)
    expect(list().map((s) => s.favourite)).toEqual([1, 1, 1])
    expect(calls()).toEqual([{ method: 'POST', path: '/samples/favourite', body: { ids: ['local:a#0', 'local:b#0'], favourite: true } }])
  })

  it('refused, the mark goes back to what it was, and the error comes back to the caller', async () => {
    seedSamples(a())
    const { writes, list } = await loaded()
    answerWith(http.patch('*/api/library/samples/:id', () => HttpResponse.json({ message: 'No.' }, { status: 503 })))
    await expect(writes.toggleFavourite('local:a#0')).rejects.toThrow('No.')
    expect(list()[0]!.favourite).toBe(0)
  })
})

describe('delete and Undo', () => {
  it('leave every read at once, with one stamp from the gateway; Undo brings exactly them back', async () => {
    seedSamples(a(), b0(), b1())
    const { writes, ids } = await loaded()
    const pending = writes.deleteSamples(['local:b#0', 'local:b#1'], '2 videos deleted')
    expect(ids()).toEqual(['local:a#0'])
    const deletion = await pending
    expect(deletion).toMatchObject({ ids: ['local:b#0', 'local:b#1'], message: '2 videos deleted' })
    expect(library.samples.get('local:b#0')!.deletedAt).toBe(deletion.deletedAt)
    // Held for a reload inside the window.
    expect(heldDeletions()).toEqual([deletion])

    const toast = writes.undoable(deletion)
    expect(toast).toMatchObject({ key: `deleted:${deletion.deletedAt}`, message: '2 videos deleted', until: deletion.until })
    toast.undo()
    // Back at once, in their places.
    expect(ids()).toEqual(['local:b#0', 'local:b#1', 'local:a#0'])
    await waitFor(() => expect(library.samples.get('local:b#1')!.deletedAt).toBeUndefined())
    expect(calls().at(-1)).toEqual({
      method: 'POST',
      path: '/samples/restore',
      body: { ids: ['local:b#0', 'local:b#1'], deletedAt: deletion.deletedAt },
    })
    expect(heldDeletions()).toEqual([])
  })

  it('refused, the samples come back and the error comes back to the caller', async () => {
    seedSamples(a(), b0())
    const { writes, ids } = await loaded()
    answerWith(http.post('*/api/library/samples/delete', () => HttpResponse.json({ message: 'No.' }, { status: 503 })))
    await expect(writes.deleteSamples(['local:a#0'], 'Deleted a video.')).rejects.toThrow('No.')
    expect(ids()).toEqual(['local:b#0', 'local:a#0'])
    expect(heldDeletions()).toEqual([])
  })

  it('a toast closed without Undo lets the deletion stand: nothing is sent, and a reload offers it no more', async () => {
    seedSamples(a())
    const { writes } = await loaded()
    const deletion = await writes.deleteSamples(['local:a#0'], 'Deleted a video.')
    const before = calls().length
    writes.undoable(deletion).expire()
    expect(calls()).toHaveLength(before)
    expect(heldDeletions()).toEqual([])
  })

  it('Undo after a reload (this tab never held the samples) brings them back from the gateway', async () => {
    seedSamples(a(), b0())
    const first = await loaded()
    const deletion = await first.writes.deleteSamples(['local:a#0'], 'Deleted a video.')
    const reloaded = await loaded()
    expect(reloaded.ids()).toEqual(['local:b#0'])
    const [held] = heldDeletions()
    reloaded.writes.undoable(held!).undo()
    await waitFor(() => expect(reloaded.ids()).toEqual(['local:b#0', 'local:a#0']))
    expect(held!.deletedAt).toBe(deletion.deletedAt)
  })

  it('Undo that comes after the gateway purged them says so, and they stay gone', async () => {
    seedSamples(a(), b0())
    const { writes, ids } = await loaded()
    const deletion = await writes.deleteSamples(['local:a#0'], 'Deleted a video.')
    library.samples.delete('local:a#0')
    const problem = renderHook(() => useSampleProblem())
    writes.undoable(deletion).undo()
    await waitFor(() => expect(problem.result.current?.lead).toBe('Undo came too late: '))
    expect(problem.result.current!.error).toEqual(new Error('1 video had already been removed for good.'))
    expect(ids()).toEqual(['local:b#0'])
  })
})

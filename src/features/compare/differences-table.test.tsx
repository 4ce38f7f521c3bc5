import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { sampleRecord, storedFrame } from '../../../testing/sample-record'
import type { FrameRef, StoredRequest } from '../../db/db'
import { DifferencesTable } from './differences-table'

const frame = (hash: string): FrameRef => storedFrame(hash)

const request = (prompt: string, frames: StoredRequest['frames'] = {}, params: StoredRequest['params'] = {}): StoredRequest => ({
  modelId: 'veo-3.1-generate-firstlastframe',
  params: { prompt, ...params },
  frames,
})

const rowHeaders = () => within(screen.getByRole('table', { name: 'Differences' })).getAllByRole('rowheader')
/** The cell of a field (by its row header's name) in a sample's column (0 = A). */
function cell(field: RegExp, column: number) {
  const row = screen.getByRole('rowheader', { name: field }).closest('tr')!
  return within(row).getAllByRole('cell')[column]!
}

describe('DifferencesTable', () => {
  it('is a table named Differences with a column per sample and a row per field', () => {
    render(<DifferencesTable samples={[sampleRecord(), sampleRecord()]} letters={['A', 'B']} />)
    const table = screen.getByRole('table', { name: 'Differences' })
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Field', 'A', 'B'])
    expect(rowHeaders().map((h) => h.textContent)).toEqual([
      'Model',
      'Prompt',
      'Negative prompt',
      'Seed',
      'Duration',
      'Resolution',
      'Aspect ratio',
      'Audio',
      'Person generation',
      'Frames',
    ])
  })

  it('marks exactly the rows that differ, and shows B’s prompt as a word diff against A’s', () => {
    const a = sampleRecord({ request: request('a red kite at dusk', { first: frame('h1'), last: frame('h2') }), seed: '11' })
    const b = sampleRecord({
      request: request('a blue kite at dusk', { first: frame('h1'), last: frame('h3') }, { duration_seconds: 8 }),
      seed: '22',
    })
    render(<DifferencesTable samples={[a, b]} letters={['A', 'B']} />)

    // Duration: unset in A, 8 s (the default) in B: the same, so not marked.
    expect(
      rowHeaders()
        .filter((h) => h.textContent?.endsWith('differs'))
        .map((h) => h.textContent),
    ).toEqual(['Prompt differs', 'Seed differs', 'Frames differs'])
    expect(screen.getByRole('rowheader', { name: 'Prompt differs' })).toBeInTheDocument()
    expect(screen.getByRole('rowheader', { name: 'Duration' })).toBeInTheDocument()

    expect(cell(/^Prompt/, 0)).toHaveTextContent(/^a red kite at dusk$/)
    expect(cell(/^Prompt/, 0).querySelector('del, ins')).toBeNull()
    const diff = cell(/^Prompt/, 1)
    expect(within(diff).getByText('red').closest('del')).toHaveTextContent('removed: red')
    expect(within(diff).getByText('blue').closest('ins')).toHaveTextContent('added: blue')
    expect(cell(/^Seed/, 1)).toHaveTextContent('22')

    // Each sample's input frames stand in the Frames row, named by slot and letter.
    const frames = cell(/^Frames/, 1)
    // The library's copy of each frame, by its hash.
    expect(within(frames).getByRole('img', { name: 'Last frame of B' })).toHaveAttribute('src', '/api/library/files/h3')
    expect(within(frames).getByRole('img', { name: 'First frame of B' })).toBeInTheDocument()
    expect(within(frames).getByText('Last')).toBeInTheDocument()
  })

  it('marks nothing when the samples were made alike, and says so when only spacing tells prompts apart', () => {
    const { unmount } = render(<DifferencesTable samples={[sampleRecord(), sampleRecord()]} letters={['A', 'B']} />)
    expect(screen.queryByText('differs')).toBeNull()
    unmount()

    render(
      <DifferencesTable
        samples={[sampleRecord({ request: request('a kite') }), sampleRecord({ request: request('a  kite') })]}
        letters={['A', 'B']}
      />,
    )
    expect(screen.getByRole('rowheader', { name: 'Prompt differs' })).toBeInTheDocument()
    expect(cell(/^Prompt/, 1)).toHaveTextContent('Only spacing differs')
  })
})

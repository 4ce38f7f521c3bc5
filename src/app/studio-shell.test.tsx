import { render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { StudioLoadBoundary, StudioShell } from './studio-shell'

afterEach(() => vi.restoreAllMocks())

function Broken(): never {
  throw new Error('the studio broke while starting')
}

describe('the studio frame', () => {
  it('says what it waits for, and offers nothing to press', () => {
    render(<StudioShell />)
    expect(screen.getByRole('heading', { name: 'Veo Studio' })).toBeInTheDocument()
    expect(screen.getByRole('status')).toHaveTextContent('Opening the studio…')
    expect(screen.queryByRole('button')).toBeNull()
  })

  it('when the studio fails to start: plain words, the error under Details, and Reload', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    render(
      <StudioLoadBoundary>
        <Broken />
      </StudioLoadBoundary>,
    )
    expect(screen.getByRole('alert')).toHaveTextContent('The studio could not start. Reload the page')
    expect(screen.getByText('Error: the studio broke while starting')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Reload' })).toBeInTheDocument()
  })
})

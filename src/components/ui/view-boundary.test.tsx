import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ViewBoundary } from './view-boundary'

let crash = true
function Fragile() {
  if (crash) throw new Error('cannot read the samples')
  return <p>The gallery</p>
}

afterEach(() => vi.restoreAllMocks())

describe('ViewBoundary', () => {
  it('keeps a crash inside its view, says so in plain words with the detail tucked away, and reloads the view', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    crash = true
    render(
      <>
        <ViewBoundary name="the gallery">
          <Fragile />
        </ViewBoundary>
        <p>Compose</p>
      </>,
    )
    expect(screen.getByText('Compose')).toBeInTheDocument()
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Something went wrong in the gallery. The rest of the studio is fine, and nothing you made is lost.',
    )
    expect(screen.getByText('Error: cannot read the samples')).not.toBeVisible()
    crash = false
    await userEvent.click(screen.getByRole('button', { name: 'Reload the gallery' }))
    expect(screen.getByText('The gallery')).toBeInTheDocument()
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })
})

import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render as renderIn, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { ReactNode } from 'react'
import { describe, expect, it, vi } from 'vitest'
import type { StoredRequest } from '../../db/db'
import { withFakeLibrary } from '../../test/fake-library'
import { ComposePanel } from './compose-panel'

// The Prompt field reads its history from the library.
withFakeLibrary()
const render = (ui: ReactNode) => {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  return renderIn(<QueryClientProvider client={client}>{ui}</QueryClientProvider>)
}

describe('Sweep switch in Compose', () => {
  it('turns the footer into the sweep, hands it the draft, and is kept across a reload', async () => {
    const user = userEvent.setup()
    const seen: StoredRequest[] = []
    const sweep = (draft: StoredRequest) => (seen.push(draft), (<button type="button">Run sweep</button>))
    render(<ComposePanel onGenerate={async () => true} busy={false} sweep={sweep} />)

    const toggle = screen.getByRole('switch', { name: 'Sweep' })
    expect(toggle).toHaveAttribute('aria-checked', 'false')
    expect(screen.getByRole('button', { name: /^Generate/ })).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Run sweep' })).toBeNull()

    await user.click(toggle)
    expect(toggle).toHaveAttribute('aria-checked', 'true')
    expect(screen.queryByRole('button', { name: /^Generate/ })).toBeNull()
    expect(screen.getByRole('button', { name: 'Run sweep' })).toBeInTheDocument()
    expect(seen.at(-1)?.modelId).toBeTruthy()
    expect(JSON.parse(localStorage.getItem('veo-studio.sweep-switch') ?? '{}')).toMatchObject({ state: { on: true } })

    await user.click(toggle)
    expect(screen.getByRole('button', { name: /^Generate/ })).toBeInTheDocument()
  })

  it('scrolls the first sweep field into view when the designer turns Sweep on, not on page load', async () => {
    const scrolled = vi.fn<(first: boolean, arg: boolean | ScrollIntoViewOptions | undefined) => void>()
    HTMLElement.prototype.scrollIntoView = function (this: HTMLElement, arg?: boolean | ScrollIntoViewOptions) {
      scrolled(this.getAttribute('data-sweep-first') !== null, arg)
    }
    const user = userEvent.setup()
    const sweep = () => (
      <div data-sweep-first="">
        <label>
          Prompt variants <textarea />
        </label>
      </div>
    )
    const { unmount } = render(<ComposePanel onGenerate={async () => true} busy={false} sweep={sweep} />)
    await user.click(screen.getByRole('switch', { name: 'Sweep' }))
    await vi.waitFor(() => expect(scrolled).toHaveBeenCalledWith(true, { behavior: 'smooth', block: 'nearest' }))
    unmount()

    // A page that loads with Sweep on (kept across the reload) does not move.
    scrolled.mockClear()
    render(<ComposePanel onGenerate={async () => true} busy={false} sweep={sweep} />)
    expect(screen.getByRole('switch', { name: 'Sweep' })).toHaveAttribute('aria-checked', 'true')
    expect(screen.getByLabelText('Prompt variants')).toBeInTheDocument()
    expect(scrolled).not.toHaveBeenCalled()
  })

  it('shows no switch when the studio offers no sweep', () => {
    render(<ComposePanel onGenerate={async () => true} busy={false} />)
    expect(screen.queryByRole('switch', { name: 'Sweep' })).toBeNull()
    expect(screen.getByRole('button', { name: /^Generate/ })).toBeInTheDocument()
  })
})

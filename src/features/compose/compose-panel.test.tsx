import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { ReactNode } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { withFakeLibrary } from '../../test/fake-library'
import { ComposePanel } from './compose-panel'

// The Prompt field reads its history from the library.
withFakeLibrary()

function renderPanel(props: Partial<Parameters<typeof ComposePanel>[0]>): void {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>
  render(<ComposePanel onGenerate={async () => true} busy={false} {...props} />, { wrapper })
}
const status = () => document.getElementById('generate-status')!

describe('the Generate status line', () => {
  it('says "Sending…" while the request is handed to the gateway, with nothing to cancel yet', () => {
    renderPanel({ busy: true })
    expect(status()).toHaveTextContent('Sending…')
    expect(screen.getByRole('button', { name: /^Generate/ })).toBeDisabled()
    expect(screen.queryByRole('button', { name: 'Cancel' })).not.toBeInTheDocument()
  })

  it('names where the request waits, and offers to take it back', async () => {
    const onCancel = vi.fn<() => void>()
    renderPanel({
      busy: true,
      busyWords: { shown: 'Waiting to send · The local engine asked us to wait 12 s', said: 'Waiting to send · paused by the provider' },
      onCancel,
    })
    expect(status().querySelector('[aria-hidden="true"]')).toHaveTextContent('Waiting to send · The local engine asked us to wait 12 s')
    expect(status().querySelector('.sr-only')).toHaveTextContent('Waiting to send · paused by the provider')
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(onCancel).toHaveBeenCalledOnce()
  })
})

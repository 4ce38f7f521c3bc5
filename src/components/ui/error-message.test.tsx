import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../api/errors'
import { OpenSettingsContext, ServerHoldsKeyContext } from '../../lib/open-settings'
import { ErrorMessage } from './error-message'

describe('ErrorMessage', () => {
  it('leads with the plain sentence and keeps the code in a collapsed Details', () => {
    render(<ErrorMessage error={new ApiError({ kind: 'http', status: 401, reason: 'FAILED_TO_AUTH', message: 'auth failed' })} />)
    const alert = screen.getByRole('alert')
    expect(alert.firstElementChild).toHaveTextContent('The jiekou.ai key was refused. Check it in Settings.')
    const details = alert.querySelector('details')
    expect(details).not.toBeNull()
    expect(details?.open).toBe(false)
    expect(screen.getByText('Details').tagName).toBe('SUMMARY')
    expect(details).toHaveTextContent('FAILED_TO_AUTH (HTTP 401)')
  })

  it('has no Details when there is nothing technical to show', () => {
    render(<ErrorMessage role="status" message="No key yet: add your jiekou.ai key above, then test again." details={undefined} />)
    expect(screen.getByRole('status')).toHaveTextContent(/^No key yet/)
    expect(screen.queryByText('Details')).toBeNull()
  })

  it('offers Settings beside a refused key, where the studio can open it; an empty balance gets no such button', async () => {
    const open = vi.fn<() => void>()
    const refused = new ApiError({ kind: 'http', status: 403, reason: 'INVALID_API_KEY', message: 'invalid api key' })
    const { unmount } = render(
      <OpenSettingsContext.Provider value={open}>
        <ErrorMessage error={refused} />
      </OpenSettingsContext.Provider>,
    )
    await userEvent.click(screen.getByRole('button', { name: 'Settings' }))
    expect(open).toHaveBeenCalledOnce()
    unmount()
    render(
      <OpenSettingsContext.Provider value={open}>
        <ErrorMessage error={new ApiError({ kind: 'http', status: 403, reason: 'NOT_ENOUGH_BALANCE', message: 'no money' })} />
      </OpenSettingsContext.Provider>,
    )
    expect(screen.getByRole('alert')).toHaveTextContent('The jiekou.ai account is out of credit. Top it up, then try again.')
    expect(screen.queryByRole('button', { name: 'Settings' })).not.toBeInTheDocument()
  })

  it('when the gateway holds the key, a refused key names who can fix it, with no Settings button', () => {
    const refused = new ApiError({ kind: 'http', status: 403, reason: 'INVALID_API_KEY', message: 'invalid api key' })
    render(
      <OpenSettingsContext.Provider value={vi.fn<() => void>()}>
        <ServerHoldsKeyContext.Provider value>
          <ErrorMessage error={refused} />
        </ServerHoldsKeyContext.Provider>
      </OpenSettingsContext.Provider>,
    )
    expect(screen.getByRole('alert')).toHaveTextContent(
      "The gateway's jiekou.ai key was refused. Ask whoever runs the gateway to check JIEKOU_API_KEY.",
    )
    expect(screen.getByRole('alert')).not.toHaveTextContent('Check it in Settings')
    expect(screen.queryByRole('button', { name: 'Settings' })).toBeNull()
    expect(screen.getByRole('alert').querySelector('details')).toHaveTextContent('INVALID_API_KEY (HTTP 403)')
  })
})

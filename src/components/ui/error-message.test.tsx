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

  it.each([
    ['INVALID_API_KEY', 403, 'The jiekou.ai key was refused. Check it in Settings.'],
    ['FAILED_TO_AUTH', 401, 'The jiekou.ai key was refused. Check it in Settings.'],
    ['NOT_ENOUGH_BALANCE', 403, 'The jiekou.ai account is out of credit. Top it up, then try again.'],
    ['ACCESS_DENY', 403, 'jiekou.ai does not allow this for your account.'],
  ])('an account fault (%s) says so plainly, with Settings beside it where the studio can open it', async (reason, status, words) => {
    const open = vi.fn<() => void>()
    render(
      <OpenSettingsContext.Provider value={open}>
        <ErrorMessage error={new ApiError({ kind: 'http', status, reason, message: 'provider words' })} />
      </OpenSettingsContext.Provider>,
    )
    expect(screen.getByRole('alert')).toHaveTextContent(words)
    await userEvent.click(screen.getByRole('button', { name: 'Settings' }))
    expect(open).toHaveBeenCalledOnce()
  })

  it('other refusals offer no Settings button', () => {
    render(
      <OpenSettingsContext.Provider value={vi.fn<() => void>()}>
        <ErrorMessage error={new ApiError({ kind: 'http', status: 400, reason: 'ILLEGAL_PROMPT', message: 'no' })} />
      </OpenSettingsContext.Provider>,
    )
    expect(screen.queryByRole('button', { name: 'Settings' })).not.toBeInTheDocument()
  })

  it.each([
    ['INVALID_API_KEY', "The gateway's jiekou.ai key was refused. Ask whoever runs the gateway to check JIEKOU_API_KEY."],
    ['NOT_ENOUGH_BALANCE', "The gateway's jiekou.ai account is out of credit. Ask whoever runs the gateway to top it up."],
    ['ACCESS_DENY', "jiekou.ai does not allow this for the gateway's account."],
  ])('when the gateway holds the key, an account fault (%s) names who can fix it, with no Settings button', (reason, words) => {
    render(
      <OpenSettingsContext.Provider value={vi.fn<() => void>()}>
        <ServerHoldsKeyContext.Provider value>
          <ErrorMessage error={new ApiError({ kind: 'http', status: 403, reason, message: 'provider words' })} />
        </ServerHoldsKeyContext.Provider>
      </OpenSettingsContext.Provider>,
    )
    expect(screen.getByRole('alert')).toHaveTextContent(words)
    expect(screen.getByRole('alert')).not.toHaveTextContent('in Settings')
    expect(screen.queryByRole('button', { name: 'Settings' })).toBeNull()
    expect(screen.getByRole('alert').querySelector('details')).toHaveTextContent(`${reason} (HTTP 403)`)
  })
})

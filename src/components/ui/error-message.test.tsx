import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api/errors'
import { ErrorMessage } from './error-message'

describe('ErrorMessage', () => {
  it('leads with the plain sentence and keeps the code in a collapsed Details', () => {
    render(<ErrorMessage error={new ApiError({ kind: 'http', status: 401, reason: 'FAILED_TO_AUTH', message: 'auth failed' })} />)
    const alert = screen.getByRole('alert')
    expect(alert.firstElementChild).toHaveTextContent('jiekou.ai refused the key. Check it in Settings.')
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
})

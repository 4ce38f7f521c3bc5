import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import TransferSection from './transfer-section'

describe('Settings › Back up and move', () => {
  it('offers Export gallery and Import, a file input with a visible label that takes a .zip', () => {
    render(<TransferSection />)
    const region = screen.getByRole('region', { name: 'Back up and move' })
    expect(region).toContainElement(screen.getByRole('button', { name: 'Export gallery' }))
    const input = screen.getByLabelText('Import')
    expect(input).toHaveAttribute('type', 'file')
    expect(input).toHaveAttribute('accept', '.zip,application/zip')
    expect(screen.getByText('Import')).toBeVisible()
  })

  it('refuses a file that is not a zip with words and Details, and writes nothing', async () => {
    render(<TransferSection />)
    await userEvent.upload(screen.getByLabelText('Import'), new File(['hello, not a zip at all'], 'notes.zip', { type: 'application/zip' }))
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('This file is not a Veo Studio export: it is not a zip file. Nothing was imported.')
    expect(alert).toHaveTextContent('Details')
  })
})

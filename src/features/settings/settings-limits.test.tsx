import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { currentRequestsPerMinute } from '../../api/studio-settings'
import { parsePrice, SettingsLimits } from './settings-limits'

const saved = () => (JSON.parse(localStorage.getItem('veo-studio.settings') ?? '{}') as { state?: Record<string, unknown> }).state ?? {}

describe('parsePrice', () => {
  it.each([
    ['', null],
    ['  ', null],
    ['0.4', 0.4],
    ['.25', 0.25],
    ['2', 2],
    ['0,5', 0.5],
    ['3.', 3],
    ['-1', undefined],
    ['1.2.3', undefined],
    ['abc', undefined],
  ])('"%s" → %s', (text, price) => {
    expect(parsePrice(text)).toBe(price)
  })
})

describe('Settings: sweeps and sending', () => {
  it('keeps Requests per minute, and leaves a value out of range unsaved with a plain error', async () => {
    const user = userEvent.setup()
    render(<SettingsLimits />)
    const rpm = screen.getByLabelText('Requests per minute')
    expect(rpm).toHaveValue(10)
    await user.clear(rpm)
    await user.type(rpm, '5')
    expect(currentRequestsPerMinute()).toBe(5)
    expect(saved()).toMatchObject({ requestsPerMinute: 5 })

    await user.clear(rpm)
    await user.type(rpm, '0')
    expect(rpm).toHaveAttribute('aria-invalid', 'true')
    expect(rpm).toHaveAccessibleDescription('Requests per minute must be a whole number from 1 to 600.')
    expect(currentRequestsPerMinute()).toBe(5)
  })

  it('keeps the sweep threshold', async () => {
    const user = userEvent.setup()
    render(<SettingsLimits />)
    const above = screen.getByLabelText('Ask before sweeps larger than')
    expect(above).toHaveValue(8)
    await user.clear(above)
    await user.type(above, '12')
    expect(saved()).toMatchObject({ confirmSweepAbove: 12 })
  })

  it("keeps each model's prices, with and without audio; empty means not set", async () => {
    const user = userEvent.setup()
    const { unmount } = render(<SettingsLimits />)
    const veo30 = within(screen.getByRole('group', { name: 'Veo 3.0' }))
    await user.type(veo30.getByLabelText('Price per second, no audio'), '0.4')
    await user.type(veo30.getByLabelText('Price per second, with audio'), '0.75')
    expect(saved()).toMatchObject({ prices: { 'veo-3.0-generate-preview-img2video': { silent: 0.4, withAudio: 0.75 } } })

    const veo31 = within(screen.getByRole('group', { name: 'Veo 3.1' }))
    await user.type(veo31.getByLabelText('Price per second, no audio'), 'x')
    expect(screen.getByText('Veo 3.1, price per second, no audio: write a number like 0.40, or leave it empty.')).toBeInTheDocument()

    await user.clear(veo30.getByLabelText('Price per second, with audio'))
    expect((saved().prices as Record<string, unknown>)['veo-3.0-generate-preview-img2video']).toEqual({ silent: 0.4 })

    // Opened again, the fields read what was kept.
    unmount()
    render(<SettingsLimits />)
    expect(within(screen.getByRole('group', { name: 'Veo 3.0' })).getByLabelText('Price per second, no audio')).toHaveValue('0.4')
  })
})

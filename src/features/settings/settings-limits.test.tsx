import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render as renderPlain, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { http, HttpResponse } from 'msw'
import type { ReactNode } from 'react'
import { describe, expect, it } from 'vitest'
import { answerWith, withFakeLibrary } from '../../test/fake-library'
import { parsePrice, SettingsLimits } from './settings-limits'

const library = withFakeLibrary()
const render = (ui: ReactNode) =>
  renderPlain(<QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>{ui}</QueryClientProvider>)

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
  it('reads Requests per minute from the gateway, saves it there, and leaves a value out of range unsaved with a plain error', async () => {
    library.settings.requestsPerMinute = 12
    const user = userEvent.setup()
    render(<SettingsLimits />)
    // The field starts again from the gateway's value once it has answered.
    const rpm = await screen.findByDisplayValue('12')
    expect(rpm).toBe(screen.getByLabelText('Requests per minute'))
    await user.clear(rpm)
    await user.type(rpm, '5')
    await expect.poll(() => library.settings.requestsPerMinute).toBe(5)
    expect(library.calls.filter((c) => c.method === 'PATCH')).toEqual([
      { method: 'PATCH', path: '/settings', body: { requestsPerMinute: 5 } },
    ])
    expect(saved()).not.toHaveProperty('requestsPerMinute')

    await user.clear(rpm)
    await user.type(rpm, '0')
    expect(rpm).toHaveAttribute('aria-invalid', 'true')
    expect(rpm).toHaveAccessibleDescription('Requests per minute must be a whole number from 1 to 600.')
    expect(library.settings.requestsPerMinute).toBe(5)
  })

  it('says so when the gateway did not keep it', async () => {
    answerWith(http.patch('*/api/library/settings', () => HttpResponse.error()))
    library.settings.requestsPerMinute = 20
    const user = userEvent.setup()
    render(<SettingsLimits />)
    const rpm = await screen.findByDisplayValue('20')
    await user.type(rpm, '0')
    await expect.poll(() => rpm.getAttribute('aria-invalid')).toBe('true')
    expect(rpm).toHaveAccessibleDescription(/^Requests per minute was not saved\. The studio can't reach its gateway/)
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

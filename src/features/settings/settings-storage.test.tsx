import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SettingsStorage } from './settings-storage'

const GB = 1024 ** 3
const real = Object.getOwnPropertyDescriptor(navigator, 'storage')

function fakeStorage(persisted: boolean, grant: boolean) {
  let kept = persisted
  const storage = {
    estimate: vi.fn<() => Promise<StorageEstimate>>(async () => ({ usage: 1.2 * GB, quota: 10 * GB })),
    persisted: vi.fn<() => Promise<boolean>>(async () => kept),
    persist: vi.fn<() => Promise<boolean>>(async () => (kept = grant)),
  }
  Object.defineProperty(navigator, 'storage', { value: storage, configurable: true })
  return storage
}

afterEach(() => {
  if (real) Object.defineProperty(navigator, 'storage', real)
  else Reflect.deleteProperty(navigator, 'storage')
})

describe('Settings › Storage', () => {
  it('shows usage against quota, and keeps the videos when the browser agrees', async () => {
    const storage = fakeStorage(false, true)
    render(<SettingsStorage />)
    expect(await screen.findByText('Using 1.2 GB of 10.0 GB (12 %)')).toBeInTheDocument()
    expect(screen.getByRole('progressbar', { name: 'Storage' })).toHaveAttribute('value', '12')
    expect(screen.getByText(/^Best effort:/)).toBeInTheDocument()
    await userEvent.click(screen.getByRole('button', { name: 'Keep videos on this device' }))
    expect(storage.persist).toHaveBeenCalledOnce()
    expect(await screen.findByText(/^Kept:/)).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Keep videos on this device' })).not.toBeInTheDocument()
  })

  it('says so when the browser declines', async () => {
    fakeStorage(false, false)
    render(<SettingsStorage />)
    await userEvent.click(await screen.findByRole('button', { name: 'Keep videos on this device' }))
    expect(await screen.findByText(/^The browser said no/)).toBeInTheDocument()
    expect(screen.getByText(/^Best effort:/)).toBeInTheDocument()
  })

  it('says when the browser reports nothing', async () => {
    Object.defineProperty(navigator, 'storage', { value: undefined, configurable: true })
    render(<SettingsStorage />)
    expect(await screen.findByText('This browser does not say how much storage the studio may use.')).toBeInTheDocument()
  })
})

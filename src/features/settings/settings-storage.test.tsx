import { StrictMode } from 'react'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { sampleRecord } from '../../../testing/sample-record'
import { db } from '../../db/db'
import { STORE_FULL } from '../../db/storage'
import { keepFailedWords } from './settings-free-space'
import { SettingsStorage } from './settings-storage'
import { requestStorageSection } from './storage-focus'

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

afterEach(async () => {
  await db.delete()
  await db.open()
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

  it('Free space: says what takes the space, drops the copies that can be fetched again only when asked twice, and keeps one back', async () => {
    fakeStorage(true, true)
    const now = Date.now()
    const hour = 3_600_000
    const young = sampleRecord({ id: 'y', taskRecordId: 'local:y', createdAt: now, urlExpiresAt: now + 4 * hour, stored: true })
    const favourite = { ...young, id: 'f', taskRecordId: 'local:f', favourite: 1 as const }
    await db.samples.bulkPut([young, favourite])
    await db.videos.bulkPut([
      { sampleId: 'y', blob: new Blob(['v']) },
      { sampleId: 'f', blob: new Blob(['v']) },
    ])
    render(<SettingsStorage />)
    const free = await screen.findByRole('group', { name: 'Free space' })
    expect(await within(free).findByText(/^2 videos · /)).toBeInTheDocument()
    expect(within(free).getByText(/^0 frames · /)).toBeInTheDocument()
    expect(within(free).getByText(/^1 video \(.+\) can be fetched again from the provider/)).toBeInTheDocument()

    await userEvent.click(within(free).getByRole('button', { name: 'Drop stored copies' }))
    const warning = within(free).getByRole('alert')
    expect(warning).toHaveTextContent(/If the studio is not open before .+, that video is gone\./)
    expect(within(warning).getByRole('button', { name: 'Cancel' })).toHaveFocus()
    await userEvent.click(within(warning).getByRole('button', { name: 'Drop 1 copy' }))
    expect(await within(free).findByText(/^Dropped 1 copy: /)).toBeInTheDocument()
    expect(await db.videos.toCollection().primaryKeys()).toEqual(['f'])
    expect(await db.samples.get('y')).toMatchObject({ stored: false, offloadedAt: expect.any(Number) })

    const away = await within(free).findByRole('region', { name: 'Not on this device' })
    expect(away).toHaveTextContent(/a kite Plays from the provider; gone after .+ unless kept\./)
    expect(within(away).getByRole('button', { name: 'Keep on device' })).toBeInTheDocument()
  })

  it('opened from the banner, the Storage heading takes the focus, also under StrictMode', async () => {
    fakeStorage(true, true)
    const scrolled = vi.fn<() => void>()
    Element.prototype.scrollIntoView = scrolled
    requestStorageSection()
    render(
      <StrictMode>
        <SettingsStorage />
      </StrictMode>,
    )
    const heading = screen.getByRole('heading', { name: 'Storage' })
    try {
      await expect.poll(() => document.activeElement).toBe(heading)
      expect(scrolled).toHaveBeenCalledOnce()
    } finally {
      Reflect.deleteProperty(Element.prototype, 'scrollIntoView')
    }
  })

  it('Free space: Cancel gives the focus back to Drop stored copies, a drop to the note of what it freed', async () => {
    fakeStorage(true, true)
    const now = Date.now()
    const young = sampleRecord({ id: 'y', taskRecordId: 'local:y', createdAt: now, urlExpiresAt: now + 4 * 3_600_000, stored: true })
    await db.samples.put(young)
    await db.videos.put({ sampleId: 'y', blob: new Blob(['v']) })
    render(<SettingsStorage />)
    const free = await screen.findByRole('group', { name: 'Free space' })
    await userEvent.click(await within(free).findByRole('button', { name: 'Drop stored copies' }))
    await userEvent.click(within(free).getByRole('button', { name: 'Cancel' }))
    expect(within(free).getByRole('button', { name: 'Drop stored copies' })).toHaveFocus()
    await userEvent.click(within(free).getByRole('button', { name: 'Drop stored copies' }))
    await userEvent.click(within(free).getByRole('button', { name: 'Drop 1 copy' }))
    const note = await within(free).findByText(/^Dropped 1 copy: /)
    expect(note).toHaveFocus()
  })

  it('Keep on device that fails says so plainly, with the way out; the technical cause is under Details', () => {
    const fetchFailed = keepFailedWords([{ storeError: 'the video URL answered 404' }])
    expect(fetchFailed.message).toBe(
      '1 video could not be fetched from the provider. It still plays from the provider; press Keep on device again in a minute.',
    )
    expect(fetchFailed.message).not.toMatch(/URL|404/)
    expect(fetchFailed.details).toBe('the video URL answered 404')
    expect(keepFailedWords([{ storeError: STORE_FULL }, { storeError: 'x' }]).message).toMatch(
      /^2 videos could not be kept: this device is out of space\. Free space here .+, then press Keep on device again\.$/,
    )
  })
})

import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { sampleRecord } from '../../testing/sample-record'
import { db } from '../db/db'
import { STORE_FULL, clock } from '../db/storage'
import { OpenSettingsContext } from '../lib/open-settings'
import { takeStorageSectionRequest } from '../features/settings/storage-focus'
import { StorageFullBanner, storageFullWords } from './storage-full-banner'

afterEach(async () => {
  await db.delete()
  await db.open()
})

describe('storageFullWords', () => {
  it('says what is not kept, until when it is safe, and that held task ids are safe', () => {
    expect(storageFullWords({ videos: 2, until: 0, tasks: 0 })).toBe(
      `Storage is full: 2 videos are not kept on this device yet. They still play from the provider until ${clock(0)}.`,
    )
    expect(storageFullWords({ videos: 1, until: 0, tasks: 1 })).toBe(
      `Storage is full: 1 video is not kept on this device yet. It still plays from the provider until ${clock(0)}. 1 task waits to be written; nothing is lost.`,
    )
  })
})

describe('StorageFullBanner', () => {
  it('shows while a copy is refused for space, and Free space opens Settings at Storage', async () => {
    const open = vi.fn<() => void>()
    const until = Date.now() + 3_600_000
    render(
      <OpenSettingsContext.Provider value={open}>
        <StorageFullBanner />
      </OpenSettingsContext.Provider>,
    )
    expect(screen.queryByRole('alert')).toBeNull()
    await db.samples.bulkPut([
      sampleRecord({ id: 'a', taskRecordId: 'local:a', storeError: STORE_FULL, urlExpiresAt: until }),
      // Not for space, or already kept, or deleted: not counted.
      sampleRecord({ id: 'b', taskRecordId: 'local:b', storeError: 'the video URL answered 500', urlExpiresAt: until }),
      sampleRecord({ id: 'c', taskRecordId: 'local:c', storeError: STORE_FULL, urlExpiresAt: until, deletedAt: 1 }),
    ])
    expect(
      await screen.findByText(
        `Storage is full: 1 video is not kept on this device yet. It still plays from the provider until ${clock(until)}.`,
      ),
    ).toBeVisible()
    // The press also tries the copies again: here that fetch is still out when the copy is kept (below).
    const fetching = vi.spyOn(globalThis, 'fetch').mockImplementation(() => new Promise<Response>(() => {}))
    await userEvent.click(screen.getByRole('button', { name: 'Free space' }))
    await vi.waitFor(() => expect(fetching).toHaveBeenCalled())
    fetching.mockRestore()
    expect(open).toHaveBeenCalledOnce()
    expect(takeStorageSectionRequest()).toBe(true)
    // Kept at last: the banner goes by itself.
    await db.samples.update('a', { stored: true, storeError: undefined })
    await vi.waitFor(() => expect(screen.queryByRole('alert')).toBeNull())
  })
})

import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { sampleRecord } from '../../../testing/sample-record'
import { db, type SampleRecord } from '../../db/db'
import { SampleCard } from './sample-card'

const noop = () => {}
const stored = sampleRecord({
  stored: true,
  request: { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'a kite' }, frames: {} },
})
// fake-indexeddb gives jsdom's Blob back as a plain object: a marker stands for each stored blob here.
const blobOf = (kind: string) => ({ kind }) as unknown as Blob

let made: string[]
let revoked: string[]
let plays: number

beforeEach(() => {
  made = []
  revoked = []
  plays = 0
  URL.createObjectURL = (blob: Blob | MediaSource) => {
    const url = `blob:${(blob as unknown as { kind: string }).kind}`
    made.push(url)
    return url
  }
  URL.revokeObjectURL = (url: string) => void revoked.push(url)
  // jsdom plays nothing: a play that resolves, and a pause that does nothing.
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(() => {
    plays++
    return Promise.resolve()
  })
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => {})
})

afterEach(async () => {
  vi.useRealTimers()
  vi.restoreAllMocks()
  await db.delete()
  await db.open()
})

const renderCard = (sample: SampleRecord) => render(<SampleCard sample={sample} onOpen={noop} onUseSettings={noop} onDelete={noop} />)
const card = () => screen.getByRole('article', { name: /^Sample: a kite/ })
const media = () => screen.getByRole('button', { name: /^Open player: a kite/ })
const poster = async () => {
  await waitFor(() => expect(card().querySelector('img')).toHaveAttribute('src', 'blob:poster'))
  return card().querySelector('img')!
}

describe('SampleCard', () => {
  it('at rest shows its stored poster as an image and holds no <video>; hovered it holds one and plays, left it rests', async () => {
    await db.videos.put({ sampleId: stored.id, blob: blobOf('video'), poster: blobOf('poster') })
    renderCard(stored)
    // While the stored copy is being read: neither a stand-in video nor word of an expired link.
    expect(card().querySelector('video')).toBeNull()
    expect(screen.queryByText(/link expired/)).toBeNull()
    const still = await poster()
    expect(still).toHaveAttribute('alt', '')
    expect(card().querySelector('video')).toBeNull()
    // Its Download saves the stored copy.
    expect(screen.getByRole('link', { name: 'Download' })).toHaveAttribute('href', 'blob:video')

    fireEvent.mouseEnter(media())
    const video = card().querySelector('video')!
    expect(video).toHaveAttribute('src', 'blob:video')
    expect(video).toHaveAttribute('poster', 'blob:poster')
    expect(video).toHaveAccessibleName(/^Video: a kite/)
    // Over its poster, which stays where it was: nothing moves.
    expect(video).toHaveClass('absolute', 'inset-0')
    expect(card().querySelector('img')).toBe(still)
    await waitFor(() => expect(plays).toBe(1))

    fireEvent.mouseLeave(media())
    expect(card().querySelector('video')).toBeNull()
    expect(card().querySelector('img')).toBe(still)
  })

  /** A stored card, at rest on its poster, that the pointer comes over while the list scrolls (timers faked). */
  async function hoverWhileScrolling() {
    await db.videos.put({ sampleId: stored.id, blob: blobOf('video'), poster: blobOf('poster') })
    renderCard(stored)
    await poster()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    fireEvent.scroll(document.body)
    fireEvent.mouseEnter(media())
  }

  it('coming under the pointer while the list scrolls, it plays only once the page is still', async () => {
    await hoverWhileScrolling()
    act(() => vi.advanceTimersByTime(50))
    // Still scrolling: it waits on.
    fireEvent.scroll(document.body)
    act(() => vi.advanceTimersByTime(80))
    expect(card().querySelector('video')).toBeNull()
    act(() => vi.advanceTimersByTime(40))
    expect(card().querySelector('video')).toHaveAttribute('src', 'blob:video')
    vi.useRealTimers()
    await waitFor(() => expect(plays).toBe(1))
  })

  it('passed by while the list scrolls, it never plays', async () => {
    await hoverWhileScrolling()
    fireEvent.mouseLeave(media())
    act(() => vi.advanceTimersByTime(1000))
    expect(card().querySelector('video')).toBeNull()
    expect(plays).toBe(0)
  })

  it('plays while its player button holds the keyboard focus, and rests when the focus leaves', async () => {
    await db.videos.put({ sampleId: stored.id, blob: blobOf('video'), poster: blobOf('poster') })
    renderCard(stored)
    await poster()
    act(() => media().focus())
    expect(card().querySelector('video')).toHaveAttribute('src', 'blob:video')
    await waitFor(() => expect(plays).toBe(1))
    act(() => media().blur())
    expect(card().querySelector('video')).toBeNull()
  })

  it('a play let go of before its video mounted never starts it', async () => {
    await db.videos.put({ sampleId: stored.id, blob: blobOf('video'), poster: blobOf('poster') })
    renderCard(stored)
    await poster()
    act(() => {
      fireEvent.mouseEnter(media())
      fireEvent.mouseLeave(media())
    })
    expect(card().querySelector('video')).toBeNull()
    expect(plays).toBe(0)
  })

  it('with no poster its video stands in at rest, at its middle frame: not stored yet, or stored without one', async () => {
    const fresh = sampleRecord({ ...stored, stored: false, videoUrl: '/v.mp4', urlExpiresAt: Date.now() + 60_000 })
    const { unmount } = renderCard(fresh)
    // A 8 s sample rests at 4 s.
    expect(card().querySelector('video')).toHaveAttribute('src', '/v.mp4#t=4')
    expect(card().querySelector('img')).toBeNull()
    unmount()

    await db.videos.put({ sampleId: stored.id, blob: blobOf('video') })
    renderCard(stored)
    await waitFor(() => expect(card().querySelector('video')).toHaveAttribute('src', 'blob:video#t=4'))
    expect(card().querySelector('img')).toBeNull()
  })

  it('lets go of the URLs it made when it goes', async () => {
    await db.videos.put({ sampleId: stored.id, blob: blobOf('video'), poster: blobOf('poster') })
    const { unmount } = renderCard(stored)
    await poster()
    // One read of the stored copy gives both.
    expect(made.sort()).toEqual(['blob:poster', 'blob:video'])
    unmount()
    expect(revoked.sort()).toEqual(['blob:poster', 'blob:video'])
  })
})

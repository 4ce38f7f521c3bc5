import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { sampleRecord } from '../../../testing/sample-record'
import type { SampleRecord } from '../../db/db'
import { SampleCard } from './sample-card'

const noop = () => {}
const VIDEO = 'a'.repeat(64)
const POSTER = 'b'.repeat(64)
const request = { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'a kite' }, frames: {} }
/** A sample the gateway has archived: its video and its still are in the library. */
const archived = sampleRecord({ stored: true, videoSha256: VIDEO, posterSha256: POSTER, request })
/** One not archived yet (brought across from an older studio), its provider link alive for a minute more. */
const notYet = (over: Partial<SampleRecord> = {}) =>
  sampleRecord({ stored: false, videoUrl: '/api/local/videos/v.mp4', urlExpiresAt: Date.now() + 60_000, request, ...over })

let plays: number

beforeEach(() => {
  plays = 0
  // jsdom plays nothing: a play that resolves, and a pause that does nothing.
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(() => {
    plays++
    return Promise.resolve()
  })
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => {})
})

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

const renderCard = (sample: SampleRecord) =>
  render(
    <QueryClientProvider client={new QueryClient()}>
      <SampleCard sample={sample} onOpen={noop} onUseSettings={noop} onDelete={noop} />
    </QueryClientProvider>,
  )
const card = () => screen.getByRole('article', { name: /^Sample: a kite/ })
const media = () => screen.getByRole('button', { name: /^Open player: a kite/ })

describe('SampleCard', () => {
  it("at rest shows the library's still as an image and holds no <video>; hovered it plays the library's copy", async () => {
    renderCard(archived)
    const still = card().querySelector('img')!
    expect(still).toHaveAttribute('src', `/api/library/files/${POSTER}`)
    expect(still).toHaveAttribute('alt', '')
    expect(card().querySelector('video')).toBeNull()
    expect(screen.queryByText('Saving…')).toBeNull()
    // Its Download saves the library's copy.
    expect(screen.getByRole('link', { name: 'Download' })).toHaveAttribute('href', `/api/library/files/${VIDEO}`)

    fireEvent.mouseEnter(media())
    const video = card().querySelector('video')!
    expect(video).toHaveAttribute('src', `/api/library/files/${VIDEO}`)
    expect(video).toHaveAttribute('poster', `/api/library/files/${POSTER}`)
    expect(video).toHaveAccessibleName(/^Video: a kite/)
    // Over its still, which stays where it was: nothing moves.
    expect(video).toHaveClass('absolute', 'inset-0')
    expect(card().querySelector('img')).toBe(still)
    await waitFor(() => expect(plays).toBe(1))

    fireEvent.mouseLeave(media())
    expect(card().querySelector('video')).toBeNull()
    expect(card().querySelector('img')).toBe(still)
  })

  /** An archived card, at rest on its still, that the pointer comes over while the list scrolls (timers faked). */
  function hoverWhileScrolling() {
    renderCard(archived)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    fireEvent.scroll(document.body)
    fireEvent.mouseEnter(media())
  }

  it('coming under the pointer while the list scrolls, it plays only once the page is still', async () => {
    hoverWhileScrolling()
    act(() => vi.advanceTimersByTime(50))
    // Still scrolling: it waits on.
    fireEvent.scroll(document.body)
    act(() => vi.advanceTimersByTime(80))
    expect(card().querySelector('video')).toBeNull()
    act(() => vi.advanceTimersByTime(40))
    expect(card().querySelector('video')).toHaveAttribute('src', `/api/library/files/${VIDEO}`)
    vi.useRealTimers()
    await waitFor(() => expect(plays).toBe(1))
  })

  it('passed by while the list scrolls, it never plays', () => {
    hoverWhileScrolling()
    fireEvent.mouseLeave(media())
    act(() => vi.advanceTimersByTime(1000))
    expect(card().querySelector('video')).toBeNull()
    expect(plays).toBe(0)
  })

  it('plays while its player button holds the keyboard focus, and rests when the focus leaves', async () => {
    renderCard(archived)
    act(() => media().focus())
    expect(card().querySelector('video')).toHaveAttribute('src', `/api/library/files/${VIDEO}`)
    await waitFor(() => expect(plays).toBe(1))
    act(() => media().blur())
    expect(card().querySelector('video')).toBeNull()
  })

  it('a play let go of before its video mounted never starts it', () => {
    renderCard(archived)
    act(() => {
      fireEvent.mouseEnter(media())
      fireEvent.mouseLeave(media())
    })
    expect(card().querySelector('video')).toBeNull()
    expect(plays).toBe(0)
  })

  it('not kept yet, it plays its link while the link lives, at its middle frame, and says it is being kept', () => {
    const { unmount } = renderCard(notYet())
    // A 8 s sample rests at 4 s.
    expect(card().querySelector('video')).toHaveAttribute('src', '/api/local/videos/v.mp4#t=4')
    expect(card().querySelector('img')).toBeNull()
    expect(screen.getByText('Saving…')).toBeVisible()
    unmount()

    // A provider's CDN goes through the gateway's relay.
    renderCard(notYet({ provider: 'jiekou', videoUrl: 'https://cdn.example/v.mp4' }))
    expect(card().querySelector('video')).toHaveAttribute('src', '/api/jiekou/video?url=https%3A%2F%2Fcdn.example%2Fv.mp4#t=4')
  })

  it('kept without a still, its video stands in at rest', () => {
    renderCard({ ...archived, posterSha256: undefined })
    expect(card().querySelector('video')).toHaveAttribute('src', `/api/library/files/${VIDEO}#t=4`)
    expect(card().querySelector('img')).toBeNull()
  })

  it('says why its copy failed, and that its link expired when it has', () => {
    const { unmount } = renderCard(notYet({ storeError: 'The provider no longer has this video.' }))
    expect(screen.getByText('The provider no longer has this video.')).toBeVisible()
    unmount()
    renderCard(notYet({ urlExpiresAt: Date.now() - 1 }))
    expect(screen.getByText("The video's link expired before it could be kept in the library.")).toBeVisible()
    expect(card().querySelector('video')).toBeNull()
    expect(screen.queryByRole('link', { name: 'Download' })).toBeNull()
  })
})

import { QueryClient, QueryObserver } from '@tanstack/react-query'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { libraryPollInterval, openLibraryFeed } from './library-feed'

/* The change feed stands down for polling when it drops, and polling stands down when it is back. */

/** An EventSource the test drives: the gateway's 'ready', a drop. */
class FakeEventSource {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSED = 2
  static last: FakeEventSource | undefined
  readyState = FakeEventSource.CONNECTING
  private readonly listeners = new Map<string, (() => void)[]>()
  constructor(readonly url: string) {
    FakeEventSource.last = this
  }
  addEventListener(type: string, listener: () => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }
  close() {
    this.readyState = FakeEventSource.CLOSED
  }
  emit(type: 'ready' | 'error') {
    this.readyState = type === 'ready' ? FakeEventSource.OPEN : FakeEventSource.CONNECTING
    for (const listener of this.listeners.get(type) ?? []) listener()
  }
}

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('openLibraryFeed', () => {
  it('a feed that drops hands over to polling at once, and a feed that is back stops it', async () => {
    vi.useFakeTimers()
    vi.stubGlobal('EventSource', FakeEventSource)
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
    const read = vi.fn<() => Promise<string>>(async () => 'samples')
    const observer = new QueryObserver(client, {
      queryKey: ['library', 'samples'],
      queryFn: read,
      refetchInterval: libraryPollInterval(1_000),
    })
    const stop = observer.subscribe(() => {})
    const close = openLibraryFeed(client, () => {})
    const feed = FakeEventSource.last!
    feed.emit('ready')
    await vi.advanceTimersByTimeAsync(5_000)
    // Up: the first read (and the one 'ready' asks for), then none while the feed tells.
    const whileUp = read.mock.calls.length
    await vi.advanceTimersByTimeAsync(10_000)
    expect(read).toHaveBeenCalledTimes(whileUp)

    // Dropped (the browser tries to reopen it): read at once, then every second.
    feed.emit('error')
    await vi.advanceTimersByTimeAsync(10)
    expect(read).toHaveBeenCalledTimes(whileUp + 1)
    await vi.advanceTimersByTimeAsync(3_000)
    expect(read.mock.calls.length).toBeGreaterThanOrEqual(whileUp + 3)

    // Back: read once more (what it missed), then quiet again.
    feed.emit('ready')
    await vi.advanceTimersByTimeAsync(10)
    const back = read.mock.calls.length
    await vi.advanceTimersByTimeAsync(10_000)
    expect(read).toHaveBeenCalledTimes(back)
    close()
    stop()
  })
})

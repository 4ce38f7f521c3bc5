import type { QueryClient } from '@tanstack/react-query'
import { create } from 'zustand'
import { LIBRARY_EVENTS_URL } from './library-client'
import { changeSchema, type Change } from './library-schemas'

/*
 * The change feed: the gateway tells every open tab what changed (server-sent events), and the tab refreshes just
 * that. A sample made in another browser appears here within a second, with no reload. While the feed is down, the
 * library's queries poll instead (libraryPollInterval), and a feed that comes back catches up from the last event it
 * saw (the gateway replays by Last-Event-ID).
 */

type FeedState = 'connecting' | 'up' | 'down'

const useFeedStore = create<{ state: FeedState }>(() => ({ state: 'connecting' }))

export const useFeedState = () => useFeedStore((s) => s.state)
export const feedIsUp = () => useFeedStore.getState().state === 'up'

/** How often a library query polls: not at all while the feed is up, every `ms` while it is down or connecting. */
export const libraryPollInterval = (ms: number) => () => (feedIsUp() ? false : ms)

/** What to do with one change: the studio's library queries refresh what it names (library-queries.ts). */
export type ChangeHandler = (client: QueryClient, change: Change) => void

/** A feed that closed is opened again after this (doubling to the cap), with `after` where it left off. */
const REOPEN_MS = [1_000, 2_000, 5_000, 10_000]

/**
 * Opens the feed for this tab and keeps it open; returns the way to close it. `onChange` hears each change once;
 * `onReopen` hears that the feed came back after being down (the queries are refetched then, in case).
 */
export function openLibraryFeed(client: QueryClient, onChange: ChangeHandler): () => void {
  let source: EventSource | undefined
  let lastId: string | undefined
  let failures = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let closed = false
  const set = (state: FeedState) => useFeedStore.setState({ state })

  const open = () => {
    if (closed) return
    const url = lastId ? `${LIBRARY_EVENTS_URL}?after=${encodeURIComponent(lastId)}` : LIBRARY_EVENTS_URL
    const es = new EventSource(url)
    source = es
    es.addEventListener('ready', () => {
      const wasDown = useFeedStore.getState().state === 'down'
      failures = 0
      set('up')
      // Whatever changed while there was no feed and no replay could cover it (a first open after a fault).
      if (wasDown || !lastId) void client.invalidateQueries({ queryKey: ['library'] })
    })
    es.addEventListener('change', (e) => {
      const event = e as MessageEvent<string>
      if (event.lastEventId) lastId = event.lastEventId
      let data: unknown
      try {
        data = JSON.parse(event.data)
      } catch {
        return
      }
      const change = changeSchema.safeParse(data)
      if (change.success) onChange(client, change.data)
    })
    es.addEventListener('error', () => {
      // The browser reopens a feed that dropped by itself (with Last-Event-ID); one the gateway refused, it closes.
      const wasUp = useFeedStore.getState().state === 'up'
      set('down')
      // Polling takes over now. A query reads its interval (libraryPollInterval) only when it updates, so each is read
      // again at once: what changed since the last event is unknown too, and a gateway that is gone is noticed (the
      // banner) by the read that finds nothing. From then on they poll until the feed is back.
      if (wasUp) void client.invalidateQueries({ queryKey: ['library'] })
      if (es.readyState !== EventSource.CLOSED) return
      es.close()
      const wait = REOPEN_MS[Math.min(failures, REOPEN_MS.length - 1)]!
      failures += 1
      timer = setTimeout(open, wait)
    })
  }

  open()
  return () => {
    closed = true
    if (timer) clearTimeout(timer)
    source?.close()
    set('connecting')
  }
}

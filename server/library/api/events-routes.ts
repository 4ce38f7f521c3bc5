import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { Library } from '../library.ts'
import type { LibraryEvent } from '../events.ts'
import type { LibraryEnv } from './http.ts'

/*
 * The change feed, as server-sent events: each event names a topic (which of the studio's queries to refresh) and the
 * ids it touched; the studio calls invalidateQueries for it. A browser that reconnects sends Last-Event-ID and gets
 * what it missed, replayed from the events table; a new one starts from now. A comment every 15 s keeps proxies and
 * the browser from closing a quiet feed. While the feed is down, the studio's queries poll instead.
 */

export const KEEPALIVE_MS = 15_000

export function eventRoutes(library: Library): Hono<LibraryEnv> {
  const app = new Hono<LibraryEnv>()
  const { db } = library.store
  app.get('/', (c) => {
    const workspace = c.get('workspace')
    // Only an id this feed could have given (a whole number) is replayed from; anything else starts from now, as a new
    // feed does (a number like 1.5 or 1e21 reached the database as an id it refused, and closed the feed at once).
    const asked = Number(c.req.header('last-event-id') ?? c.req.query('after') ?? Number.NaN)
    const lastId = Number.isSafeInteger(asked) ? asked : Number.NaN
    c.header('Cache-Control', 'no-store')
    return streamSSE(c, async (stream) => {
      // Listen first, then read what was missed, so nothing falls between the two; ids keep each event once.
      const pending: LibraryEvent[] = []
      let wake: (() => void) | undefined
      const stop = library.feed.subscribe((e) => {
        if (e.workspace !== workspace) return
        pending.push(e)
        wake?.()
      })
      let sent = Number.isFinite(lastId) && lastId >= 0 ? lastId : await library.feed.latestId(db, workspace)
      const write = async (e: LibraryEvent) => {
        if (e.id <= sent) return
        sent = e.id
        await stream.writeSSE({ id: String(e.id), event: 'change', data: JSON.stringify({ topic: e.topic, ids: e.ids }) })
      }
      stream.onAbort(() => {
        stop()
        wake?.()
      })
      try {
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ after: sent }) })
        if (Number.isFinite(lastId) && lastId >= 0) for (const e of await library.feed.since(db, workspace, lastId)) await write(e)
        while (!stream.aborted) {
          if (pending.length === 0)
            await new Promise<void>((resolve) => {
              const timer = setTimeout(() => done(), KEEPALIVE_MS)
              const done = () => {
                clearTimeout(timer)
                wake = undefined
                resolve()
              }
              wake = done
            })
          if (stream.aborted) break
          if (pending.length === 0) await stream.write(': keepalive\n\n')
          for (const e of pending.splice(0)) await write(e)
        }
      } finally {
        stop()
      }
    })
  })
  return app
}

import { afterEach, describe, expect, it } from 'vitest'
import { until } from '../../testing/until.ts'
import { closeLibraryApis, seedSamples, startLibraryApi, type LibraryApi } from '../../testing/library-fixtures.ts'
import { ENGINES } from '../../testing/library-harness.ts'

/* The change feed (server-sent events) and the gateway's settings, over real HTTP on both engines. */

afterEach(closeLibraryApis)

interface Sse {
  events: { id?: string; event?: string; data?: string }[]
  close(): void
}

/** Reads a feed as a browser's EventSource would, event by event. */
async function openFeed(api: LibraryApi, lastEventId?: string): Promise<Sse> {
  const abort = new AbortController()
  const res = await fetch(`${api.url}/api/library/events`, {
    headers: lastEventId ? { 'last-event-id': lastEventId } : {},
    signal: abort.signal,
  })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
  const events: Sse['events'] = []
  void (async () => {
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true })
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const e: Sse['events'][number] = {}
          for (const line of block.split('\n')) {
            const [k, ...v] = line.split(':')
            const value = v.join(':').trimStart()
            if (k === 'id' || k === 'event' || k === 'data') e[k] = value
          }
          if (e.event || e.data) events.push(e)
        }
      }
    } catch {
      // closed
    }
  })()
  return { events, close: () => abort.abort() }
}

describe.each(ENGINES)('the change feed on %s', (engine) => {
  it('tells an open feed of a change within moments, and replays what a reconnect missed by Last-Event-ID', async () => {
    const api = await startLibraryApi(engine)
    const [id] = await seedSamples(api.db, { id: 'feed', createdAt: new Date() })
    const feed = await openFeed(api)
    await until(() => feed.events.find((e) => e.event === 'ready'))
    const started = Date.now()
    expect((await api.call('PATCH', `/samples/${encodeURIComponent(id!)}`, { json: { favourite: true } })).status).toBe(200)
    const change = await until(() => feed.events.find((e) => e.event === 'change'))
    expect(Date.now() - started).toBeLessThan(1_000)
    expect(JSON.parse(change.data!)).toEqual({ topic: 'samples', ids: [id] })
    feed.close()

    // Two changes while no feed is open; a feed that comes back with the last id it saw gets both, in order.
    await api.call('DELETE', `/samples/${encodeURIComponent(id!)}`)
    await api.call('POST', `/samples/${encodeURIComponent(id!)}/restore`)
    const again = await openFeed(api, change.id)
    const replayed = await until(() => {
      const changes = again.events.filter((e) => e.event === 'change')
      return changes.length >= 2 ? changes : undefined
    })
    expect(replayed.map((e) => Number(e.id))).toEqual([Number(change.id) + 1, Number(change.id) + 2])
    again.close()
  })

  it('takes a Last-Event-ID that is no whole number as a new feed, and stays open (found by the fuzz: it closed at once)', async () => {
    const api = await startLibraryApi(engine)
    const [id] = await seedSamples(api.db, { id: 'feed-odd', createdAt: new Date() })
    for (const odd of ['1.5', '1e21', '-0.5']) {
      const feed = await openFeed(api, odd)
      await until(() => feed.events.find((e) => e.event === 'ready'))
      const path = `/samples/${encodeURIComponent(id!)}`
      expect((await api.call('PATCH', path, { json: { favourite: odd === '1.5' } })).status).toBe(200)
      expect(JSON.parse((await until(() => feed.events.find((e) => e.event === 'change'))).data!)).toEqual({ topic: 'samples', ids: [id] })
      feed.close()
    }
  })
})

describe.each(ENGINES)('the gateway settings on %s', (engine) => {
  it('keeps the requests per minute, and takes a key it never gives back', async () => {
    const api = await startLibraryApi(engine)
    expect((await api.call('GET', '/settings')).body).toEqual({ requestsPerMinute: 10, providerKey: { held: false, source: null } })
    expect((await api.call('PATCH', '/settings', { json: { requestsPerMinute: 30 } })).body).toEqual({ requestsPerMinute: 30 })
    const bad = await api.call('PATCH', '/settings', { json: { requestsPerMinute: 0 } })
    expect(bad.status).toBe(400)
    expect(bad.body.message).toMatch(/Requests per minute must be a whole number from 1 to 600/)

    const put = await api.call('PUT', '/settings/provider-key', { json: { key: 'sk-studio-test-0123456789' } })
    expect(put.status).toBe(200)
    const read = await api.call('GET', '/settings')
    expect(read.body).toEqual({ requestsPerMinute: 30, providerKey: { held: true, source: 'gateway' } })
    expect(read.bytes.toString()).not.toContain('sk-studio-test')
    expect(put.bytes.toString()).not.toContain('sk-studio-test')
    expect(api.library.providerKey.get()).toBe('sk-studio-test-0123456789')
    const refused = await api.call('PUT', '/settings/provider-key', { json: { key: 'two words' } })
    expect(refused.status).toBe(400)
    expect(refused.body.message).toMatch(/^API key: paste the key/)
    expect((await api.call('DELETE', '/settings/provider-key')).body).toEqual({ providerKey: { held: false, source: null } })
  })

  it('takes keys saved and cleared at once, one after the other (each but the first was a 500, found fuzzing)', async () => {
    const api = await startLibraryApi(engine)
    const changes = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        i % 3 === 2
          ? api.call('DELETE', '/settings/provider-key')
          : api.call('PUT', '/settings/provider-key', { json: { key: `sk-at-once-${i}-abcdef` } }),
      ),
    )
    expect(changes.map((c) => c.status)).toEqual(Array.from({ length: 8 }, () => 200))
    const last = 'sk-at-once-last-abcdef'
    expect((await api.call('PUT', '/settings/provider-key', { json: { key: last } })).status).toBe(200)
    expect(api.library.providerKey.get()).toBe(last)
  })
})

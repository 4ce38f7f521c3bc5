import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { getGatewayConfig } from './client'
import { connectivity, noteGatewayUnreachable, resetConnectivity, subscribeConnectivity } from './connectivity'

const answer = (): Promise<Response> => Promise.resolve(new Response(JSON.stringify({ serverHoldsKey: false }), { status: 200 }))
const refuse = (): Promise<Response> => Promise.reject(new TypeError('Failed to fetch'))

beforeEach(() => {
  resetConnectivity()
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  resetConnectivity()
})

describe('connectivity', () => {
  it('a request that finds no gateway makes the studio unreachable until a probe finds it again (1 s, then 2 s, ...)', async () => {
    const fetch = vi.fn<(input: unknown, init?: RequestInit) => Promise<Response>>(refuse)
    vi.stubGlobal('fetch', fetch)
    const changes: string[] = []
    const stop = subscribeConnectivity(() => changes.push(connectivity()))

    await expect(getGatewayConfig()).rejects.toMatchObject({ kind: 'network' })
    expect(connectivity()).toBe('unreachable')
    expect(fetch).toHaveBeenCalledTimes(1)

    // The first probe, a second later, finds nothing either.
    await vi.advanceTimersByTimeAsync(1_000)
    expect(fetch).toHaveBeenCalledTimes(2)
    expect(String(fetch.mock.calls[1]?.[0])).toMatch(/\/api\/config$/)
    expect(connectivity()).toBe('unreachable')

    // The next, two seconds after that, is answered.
    fetch.mockImplementation(answer)
    await vi.advanceTimersByTimeAsync(1_999)
    expect(fetch).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(fetch).toHaveBeenCalledTimes(3)
    expect(connectivity()).toBe('online')
    expect(changes).toEqual(['unreachable', 'online'])

    // No more probes once it answers.
    await vi.advanceTimersByTimeAsync(60_000)
    expect(fetch).toHaveBeenCalledTimes(3)
    stop()
  })

  it('any answer from the gateway, an error status included, makes it reachable at once', async () => {
    noteGatewayUnreachable()
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.resolve(new Response('{"code":500,"reason":"X","message":"no"}', { status: 500 }))),
    )
    await expect(getGatewayConfig()).rejects.toMatchObject({ kind: 'http', status: 500 })
    expect(connectivity()).toBe('online')
  })

  it("the browser's offline wins, and probes wait for its 'online'", async () => {
    const fetch = vi.fn<(input: unknown, init?: RequestInit) => Promise<Response>>(refuse)
    vi.stubGlobal('fetch', fetch)
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    noteGatewayUnreachable()
    expect(connectivity()).toBe('offline')
    await vi.advanceTimersByTimeAsync(30_000)
    expect(fetch).not.toHaveBeenCalled()

    onLine.mockReturnValue(true)
    fetch.mockImplementation(answer)
    globalThis.dispatchEvent(new Event('online'))
    await vi.advanceTimersByTimeAsync(0)
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(connectivity()).toBe('online')
  })

  it('a timeout is not unreachable: the gateway is there, only slow', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        (_: unknown, init?: RequestInit) =>
          new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted')))),
      ),
    )
    // AbortSignal.timeout runs on the real clock.
    vi.useRealTimers()
    await expect(getGatewayConfig({ timeoutMs: 20 })).rejects.toMatchObject({ kind: 'timeout' })
    expect(connectivity()).toBe('online')
  })
})

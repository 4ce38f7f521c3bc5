import { QueryClient } from '@tanstack/react-query'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { gatewayConfigQuery } from './queries'

const origin = globalThis.location.origin
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

describe('gatewayConfigQuery', () => {
  it("reads the gateway's answer", async () => {
    server.use(http.get(`${origin}/api/config`, () => HttpResponse.json({ serverHoldsKey: true })))
    await expect(new QueryClient().fetchQuery(gatewayConfigQuery())).resolves.toEqual({ serverHoldsKey: true })
  })

  it('reports an answer it cannot read as a typed error', async () => {
    server.use(http.get(`${origin}/api/config`, () => HttpResponse.json({ serverHoldsKey: 'yes' })))
    await expect(new QueryClient().fetchQuery(gatewayConfigQuery())).rejects.toMatchObject({ name: 'ApiError', kind: 'parse' })
  })
})

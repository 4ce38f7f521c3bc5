import { afterEach, describe, expect, it } from 'vitest'
import { closeLibraryApis, startLibraryApi } from '../../testing/library-fixtures.ts'
import { ENGINES } from '../../testing/library-harness.ts'

/*
 * The submit queue's door, refusing what the database could not keep: each case below was a 500 (PostgreSQL or
 * JSON.stringify refused it mid-insert) until the library fuzz (library-fuzz.test.ts) found it. Now a 400 that names
 * the field, or a 404 for an id no request could have.
 */

afterEach(closeLibraryApis)

const request = (change: Record<string, unknown> = {}) => ({
  id: 'regress-request-01',
  provider: 'local',
  modelPath: '/v3/async/veo-3.1-generate-firstlastframe',
  request: { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'a door' }, frames: {} },
  body: { prompt: 'a door' },
  priority: 'sweep',
  ...change,
})

/** A body written by hand: JSON.stringify would write a lone surrogate as an escape too, but not 5,000 brackets. */
const send = (text: string) => ({ body: text, headers: { 'Content-Type': 'application/json' } })

describe.each(ENGINES)('POST /requests on %s', (engine) => {
  it('refuses a NUL, half a surrogate pair, or nesting past 32 levels with words naming the field', async () => {
    const api = await startLibraryApi(engine, { runner: true })
    const cases: [string, RegExp][] = [
      [
        JSON.stringify({ requests: [request({ experimentId: 'exp\u0000' })] }),
        /^The requests could not be queued\. requests\.0\.experimentId: .*NUL/,
      ],
      [JSON.stringify({ requests: [request({ retryOf: 'x\u0000' })] }), /requests\.0\.retryOf: .*cannot be stored/],
      [
        `{"requests":[${JSON.stringify(request()).replace('"a door"}', '"\\ud800"}')}]}`,
        /requests\.0\.request: .*half of a surrogate pair/,
      ],
      [JSON.stringify({ requests: [request({ body: { prompt: 'a\u0000b' } })] }), /requests\.0\.body: .*NUL/],
      [
        JSON.stringify({ requests: [request({ body: { deep: '@' } })] }).replace('"@"', `${'['.repeat(5_000)}${']'.repeat(5_000)}`),
        /requests\.0\.body: is nested more than 32 levels deep/,
      ],
    ]
    for (const [text, words] of cases) {
      const res = await api.call('POST', '/requests', send(text))
      expect({ status: res.status, ...res.body }).toMatchObject({
        status: 400,
        code: 400,
        reason: 'INVALID_REQUEST_BODY',
        message: expect.stringMatching(words),
      })
    }
    expect(await api.db.selectFrom('submit_queue').select('id').execute()).toEqual([])
    // The same request, storable, is queued.
    expect((await api.call('POST', '/requests', { json: { requests: [request()] } })).status).toBe(200)
  })

  it('refuses such ids in cancel and restore, and answers 404 for one in the path', async () => {
    const api = await startLibraryApi(engine)
    for (const path of ['/requests/cancel', '/requests/restore']) {
      const res = await api.call('POST', path, { json: { ids: ['ok-id', 'bad\u0000id'] } })
      expect(res.status).toBe(400)
      expect(res.body.message).toMatch(/ids\.1: .*cannot be stored/)
    }
    for (const id of ['%00', 'a%00b', 'x'.repeat(81)]) {
      const res = await api.call('GET', `/requests/${id}`)
      expect(res.status).toBe(404)
      expect(res.body).toMatchObject({ code: 404, reason: 'NOT_FOUND', message: expect.stringMatching(/^No such request/) })
    }
  })
})

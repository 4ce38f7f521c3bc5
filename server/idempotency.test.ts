import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import { idempotency, IdempotencyStore } from './idempotency.ts'
import { makeImage } from './testing/media.ts'
import { closeAll, noRender, startStubUpstream, startTestGateway, type TestGateway } from './testing/gateway-harness.ts'

/*
 * Idempotency-Key on submits, through a real gateway: the local engine, and the forwarder in front of a stub jiekou.ai.
 * What is counted here are tasks and upstream calls, not videos: the engine renders nothing (noRender).
 */

const tmp = mkdtempSync(join(tmpdir(), 'veo-idem-test-'))
const dataDir = join(tmp, 'engine')
const V31 = '/v3/async/veo-3.1-generate-firstlastframe'

let gateway: TestGateway
let upstreamHits = 0
/** What the stub answers next, and how long it takes. */
let upstream = { status: 200, body: '{"task_id":"up-1"}', delayMs: 0, headers: {} as Record<string, string> }
let seenKeys: (string | undefined)[] = []
let body: string

beforeAll(async () => {
  const stub = await startStubUpstream()
  stub.reply = (req) => {
    upstreamHits++
    seenKeys.push(req.headers['idempotency-key'] as string | undefined)
    return upstream
  }
  gateway = await startTestGateway(
    { LOCAL_ENGINE_DATA_DIR: dataDir, LOCAL_ENGINE_PACE_MS: '100', JIEKOU_BASE_URL: stub.url, JIEKOU_API_KEY: 'sk-idem-test-1a2b3c' },
    { render: noRender },
  )
  const png = await makeImage(join(tmp, 'frame.png'), { width: 64, height: 36, kind: 'png', pattern: 'boxes' })
  const b64 = readFileSync(png).toString('base64')
  body = JSON.stringify({ image: b64, last_image: b64, prompt: 'A slow pan', duration_seconds: 4, resolution: '720p', sample_count: 1 })
})

afterAll(async () => {
  await closeAll()
  rmSync(tmp, { recursive: true, force: true })
})

const post = async (
  provider: 'local' | 'jiekou',
  key: string | undefined,
  payload = body,
  extra: Record<string, string> = {},
  path = V31,
) => {
  const res = await fetch(`${gateway.url}/api/${provider}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key === undefined ? {} : { 'Idempotency-Key': key }), ...extra },
    body: payload,
  })
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, replayed: res.headers.get('idempotent-replayed') }
}

const engineTasks = () => readdirSync(join(dataDir, 'tasks')).length

describe('the local engine', () => {
  it('the same key twice makes one engine task, and both answers name it', async () => {
    const before = engineTasks()
    const first = await post('local', 'item-aaaa-1')
    const again = await post('local', 'item-aaaa-1')
    expect(first.status).toBe(200)
    expect(again).toEqual({ status: 200, json: first.json, replayed: 'true' })
    expect(engineTasks()).toBe(before + 1)
  })

  it('two keys make two tasks', async () => {
    const before = engineTasks()
    const a = await post('local', 'item-bbbb-1')
    const b = await post('local', 'item-bbbb-2')
    expect(a.json.task_id).not.toEqual(b.json.task_id)
    expect(engineTasks()).toBe(before + 2)
  })

  it('a repeat while the first is still running waits for it and gets the same task', async () => {
    const before = engineTasks()
    const [a, b, c] = await Promise.all([post('local', 'item-cccc-1'), post('local', 'item-cccc-1'), post('local', 'item-cccc-1')])
    expect(a.json.task_id).toBeDefined()
    expect(b.json).toEqual(a.json)
    expect(c.json).toEqual(a.json)
    expect(engineTasks()).toBe(before + 1)
  })

  it('a refusal is answered the same again without running', async () => {
    const bad = JSON.stringify({ prompt: 'no frames' })
    const first = await post('local', 'item-dddd-1', bad)
    expect(first.status).toBe(400)
    expect(await post('local', 'item-dddd-1', bad)).toEqual({ ...first, replayed: 'true' })
  })

  it.each([
    ['empty', ''],
    ['too long', 'a'.repeat(101)],
    ['with a space', 'item 1'],
    ['with a slash', 'item/1'],
  ])('a key that is %s gets a 400 in the contract shape, and nothing runs', async (_, key) => {
    const before = engineTasks()
    const res = await post('local', key)
    expect(res.status).toBe(400)
    expect(res.json).toMatchObject({ code: 400, reason: 'INVALID_REQUEST_BODY', message: expect.stringMatching(/Idempotency-Key/) })
    expect(engineTasks()).toBe(before)
  })

  it('without a key every submit runs', async () => {
    const before = engineTasks()
    await post('local', undefined)
    await post('local', undefined)
    expect(engineTasks()).toBe(before + 2)
  })
})

describe('the jiekou.ai forwarder', () => {
  it('forwards the first request with a key once, answers the repeat itself, and never sends the header upstream', async () => {
    upstreamHits = 0
    seenKeys = []
    upstream = { status: 200, body: '{"task_id":"up-1"}', delayMs: 0, headers: {} }
    const first = await post('jiekou', 'item-eeee-1')
    const again = await post('jiekou', 'item-eeee-1')
    expect(first).toMatchObject({ status: 200, json: { task_id: 'up-1' } })
    expect(again).toEqual({ ...first, replayed: 'true' })
    expect(upstreamHits).toBe(1)
    expect(seenKeys).toEqual([undefined])
  })

  it('keys are per provider: the same key on the engine is another request', async () => {
    upstreamHits = 0
    const local = await post('local', 'item-ffff-1')
    const jiekou = await post('jiekou', 'item-ffff-1')
    expect(upstreamHits).toBe(1)
    expect(jiekou.json).not.toEqual(local.json)
  })

  it('a repeat in flight waits for the slow first answer', async () => {
    upstreamHits = 0
    upstream = { status: 200, body: '{"task_id":"up-slow"}', delayMs: 300, headers: {} }
    const [a, b] = await Promise.all([post('jiekou', 'item-gggg-1'), post('jiekou', 'item-gggg-1')])
    expect(a.json).toEqual({ task_id: 'up-slow' })
    expect(b.json).toEqual({ task_id: 'up-slow' })
    expect(upstreamHits).toBe(1)
  })

  it('a 429 is not kept: the queue sends again with the same key after the pause, and that send runs', async () => {
    upstreamHits = 0
    upstream = {
      status: 429,
      body: '{"code":429,"reason":"RATE_LIMIT_EXCEEDED","message":"slow down"}',
      delayMs: 0,
      headers: { 'Retry-After': '3' },
    }
    const limited = await post('jiekou', 'item-hhhh-1')
    expect(limited.status).toBe(429)
    upstream = { status: 200, body: '{"task_id":"up-2"}', delayMs: 0, headers: {} }
    const sent = await post('jiekou', 'item-hhhh-1')
    expect(sent).toMatchObject({ status: 200, json: { task_id: 'up-2' } })
    expect(upstreamHits).toBe(2)
  })
})

describe('a key names one request, for one designer', () => {
  const reused = {
    code: 422,
    reason: 'INVALID_REQUEST_BODY',
    message: 'This Idempotency-Key was used for another request.',
    metadata: { detail: expect.stringMatching(/new Idempotency-Key/) },
  }

  it('a repeat with another body gets a 422 in the contract shape, and nothing runs', async () => {
    const before = engineTasks()
    const first = await post('local', 'item-kkkk-1')
    const other = await post('local', 'item-kkkk-1', body.replace('A slow pan', 'A fast pan'))
    expect(other).toEqual({ status: 422, json: reused, replayed: null })
    expect(engineTasks()).toBe(before + 1)
    // The first request still gets its own answer.
    expect(await post('local', 'item-kkkk-1')).toEqual({ ...first, replayed: 'true' })
  })

  it('a repeat on another path gets the 422 too', async () => {
    upstreamHits = 0
    upstream = { status: 200, body: '{"task_id":"up-path"}', delayMs: 0, headers: {} }
    await post('jiekou', 'item-llll-1')
    const other = await post('jiekou', 'item-llll-1', body, {}, '/v3/async/veo-3.0-generate-preview-img2video')
    expect(other).toEqual({ status: 422, json: reused, replayed: null })
    expect(upstreamHits).toBe(1)
  })

  it("two designers' keys never see each other's answers, and the store holds no key", async () => {
    upstreamHits = 0
    upstream = { status: 200, body: '{"task_id":"up-alice"}', delayMs: 0, headers: {} }
    const alice = await post('jiekou', 'item-mmmm-1', body, { Authorization: 'Bearer sk-alice-1111' })
    upstream = { status: 200, body: '{"task_id":"up-bob"}', delayMs: 0, headers: {} }
    const bob = await post('jiekou', 'item-mmmm-1', body, { Authorization: 'Bearer sk-bob-2222' })
    expect(alice.json).toEqual({ task_id: 'up-alice' })
    expect(bob).toEqual({ status: 200, json: { task_id: 'up-bob' }, replayed: null })
    expect(upstreamHits).toBe(2)
    // Each is replayed to its own designer only, and a lookup without the key finds neither.
    expect((await post('jiekou', 'item-mmmm-1', body, { Authorization: 'Bearer sk-alice-1111' })).json).toEqual({ task_id: 'up-alice' })
    expect(await lookup('jiekou', 'item-mmmm-1', { Authorization: 'Bearer sk-bob-2222' })).toEqual({
      status: 200,
      text: '{"task_id":"up-bob"}',
    })
    expect((await lookup('jiekou', 'item-mmmm-1')).status).toBe(204)
    expect(upstreamHits).toBe(2)
  })

  it('keeps only a hash of the Authorization header', async () => {
    const store = new IdempotencyStore()
    const app = new Hono()
    app.use('/api/jiekou/*', idempotency('jiekou', store))
    app.post('/api/jiekou/x', (c) => c.json({ task_id: 't' }))
    const res = await app.request('/api/jiekou/x', {
      method: 'POST',
      headers: { 'Idempotency-Key': 'item-nnnn-1', Authorization: 'Bearer sk-secret-3333' },
      body: '{}',
    })
    expect(res.status).toBe(200)
    const ids = [...(store as unknown as { entries: Map<string, unknown> }).entries.keys()]
    expect(ids).toHaveLength(1)
    expect(ids[0]).not.toMatch(/sk-secret/)
    expect(ids[0]).toMatch(/^jiekou:[0-9a-f]{64}:item-nnnn-1$/)
  })
})

const lookup = async (provider: 'local' | 'jiekou', key: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${gateway.url}/api/${provider}/idempotency/${key}`, { headers })
  return { status: res.status, text: await res.text() }
}

describe('asking what became of a key (the queue, after a reload)', () => {
  it('gives the first answer to a key that was sent, and 204 to one that never arrived, without running anything', async () => {
    const before = engineTasks()
    const sent = await post('local', 'item-iiii-1')
    expect(await lookup('local', 'item-iiii-1')).toEqual({ status: 200, text: JSON.stringify(sent.json) })
    expect(await lookup('local', 'item-iiii-2')).toEqual({ status: 204, text: '' })
    // The keys are per provider here too.
    expect((await lookup('jiekou', 'item-iiii-1')).status).toBe(204)
    expect(engineTasks()).toBe(before + 1)
  })

  it('waits for a send still running, and says 204 after a 429 (that send must be made again)', async () => {
    upstreamHits = 0
    upstream = { status: 200, body: '{"task_id":"up-3"}', delayMs: 300, headers: {} }
    const sending = post('jiekou', 'item-jjjj-1')
    // Once the upstream has it, the gateway holds the key: the answer is still 300 ms away.
    await expect.poll(() => upstreamHits).toBe(1)
    expect(await lookup('jiekou', 'item-jjjj-1')).toEqual({ status: 200, text: '{"task_id":"up-3"}' })
    await sending
    upstream = { status: 429, body: '{"code":429,"reason":"RATE_LIMIT_EXCEEDED","message":"slow down"}', delayMs: 0, headers: {} }
    await post('jiekou', 'item-jjjj-2')
    expect((await lookup('jiekou', 'item-jjjj-2')).status).toBe(204)
    expect(upstreamHits).toBe(2)
  })

  it('refuses a malformed key', async () => {
    expect((await lookup('local', 'a'.repeat(101))).status).toBe(400)
  })
})

describe('IdempotencyStore', () => {
  const answer = Promise.resolve(undefined)
  it('forgets a key after its time', () => {
    let now = 0
    const store = new IdempotencyStore(1000, 10, () => now)
    store.set('a', answer)
    now = 999
    expect(store.get('a')).toBeDefined()
    now = 1000
    expect(store.get('a')).toBeUndefined()
  })

  it('holds at most its bound, dropping the oldest', () => {
    let now = 0
    const store = new IdempotencyStore(60_000, 3, () => now)
    for (const id of ['a', 'b', 'c', 'd']) {
      store.set(id, answer)
      now++
    }
    expect(store.size).toBe(3)
    expect(store.get('a')).toBeUndefined()
    expect(store.get('d')).toBeDefined()
  })
})

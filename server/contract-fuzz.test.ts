import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorBodySchema, submitResponseSchema, taskResultSchema, TASK_RESULT_PATH } from '../src/api/schemas.ts'
import { checkBody, parseJsonBody } from './engine/validate.ts'
import type { ModelSpec } from '../src/models/types.ts'
import {
  closeAll,
  models,
  noRender,
  startGatewayWithStub,
  startTestGateway,
  type StubUpstream,
  type TestGateway,
} from './testing/gateway-harness.ts'
import { makeImage } from './testing/media.ts'

/*
 * Property-based fuzzing of the contract (fast-check), on the local engine and through the forwarder in front of a
 * stub jiekou.ai that answers valid contract JSON. Bodies: arbitrary JSON, near-valid bodies with one field made
 * wrong, raw bytes (invalid UTF-8 too), empty bodies, any content type. Task ids: any string, slashes, dots, %, very
 * long. Every answer must be one of the contract's JSON errors or a valid submit/task answer: never a 5xx, never a
 * hang, and the gateway still answers afterwards. On a failure fast-check prints the seed and the shrunk case.
 *
 * The local engine renders nothing here: its renderer is a stub (a valid body still runs the real checks, frame
 * decoding included, and makes a real task). The limits are off (0), so no answer is a 429.
 */

const RUNS = { submit: 360, taskResult: 720 }
/** Valid bodies sent to the local engine per model: each decodes its frames with ffmpeg and makes a task (~0.3 s). */
const VALID_LOCAL_CAP = 12
const TIMEOUT_MS = 10_000
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined
const V30 = '/v3/async/veo-3.0-generate-preview-img2video'
const V31 = '/v3/async/veo-3.1-generate-firstlastframe'
const CONTRACT_ERROR_STATUSES = [400, 404, 413, 422]

let local: TestGateway
let forwarder: { stub: StubUpstream; gateway: TestGateway }
let frame = ''
let catalogue: readonly ModelSpec[]
let tasksMade = 0
const validSent = new Map<string, number>()
const known: string[] = []
const stats = { requests: 0, ok: 0, refused: new Map<number, number>() }

beforeAll(async () => {
  const { tmpdir } = await import('node:os')
  const png = await makeImage(join(tmpdir(), `fuzz-frame-${process.pid}.png`), { width: 64, height: 36, kind: 'png', pattern: 'boxes' })
  frame = (await readFile(png)).toString('base64')
  catalogue = await models()
  const limitsOff = { GATEWAY_CLIENT_RPM: '0', JIEKOU_RPM: '0' }
  local = await startTestGateway({ ...limitsOff, LOCAL_ENGINE_PACE_MS: '0' }, { render: noRender })
  forwarder = await startGatewayWithStub({ ...limitsOff, JIEKOU_API_KEY: 'sk-fuzz-5a0c' })
})

afterAll(async () => {
  console.log(
    `fuzz: ${stats.requests} requests, ${stats.ok} answered 200, refused ${JSON.stringify(Object.fromEntries(stats.refused))}, ${tasksMade} local tasks made`,
  )
  await closeAll()
})

// ---- bodies ----

/** A JSON value written as text: a value to stringify, or a raw token (1e309 and -0 exist only as text). */
type Piece = { value: unknown } | { raw: string }
const text = (p: Piece) => ('raw' in p ? p.raw : JSON.stringify(p.value))
/** An object written by hand, so keys like __proto__ and duplicate keys reach the server as sent. */
const object = (entries: [string, Piece][]) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${text(v)}`).join(',')}}`

const baseBodies: Record<string, () => [string, Piece][]> = {
  [V30]: () => [
    ['prompt', { value: 'A slow push in' }],
    ['image_base64', { value: frame }],
    ['generate_audio', { value: false }],
    ['duration_seconds', { value: 4 }],
  ],
  [V31]: () => [
    ['prompt', { value: 'The camera glides' }],
    ['image', { value: frame }],
    ['last_image', { value: `data:image/png;base64,${frame}` }],
    ['duration_seconds', { value: 4 }],
    ['sample_count', { value: 1 }],
  ],
}

const FIELDS = [
  'prompt',
  'negative_prompt',
  'image',
  'last_image',
  'image_url',
  'image_base64',
  'aspect_ratio',
  'duration_seconds',
  'resolution',
  'sample_count',
  'seed',
  'generate_audio',
  'enhance_prompt',
  'person_generation',
]
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__']

/** A value that is wrong for (almost) any field; the odd one that happens to fit is a valid case, and that is fine. */
const wrongValue: fc.Arbitrary<Piece> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((value) => ({ value })),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e309', '-1', '0x10', ' 8 ', '', '8s', 'null', 'true').map((value) => ({ value })),
  fc.constantFrom('1e309', '-0', '1e-400', '4.0', '4.5', '9007199254740993', '-4294967296', '4294967296').map((raw) => ({ raw })),
  fc
    .oneof(fc.integer(), fc.double(), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String))
    .map((v) => (typeof v === 'string' ? { raw: v } : { value: v })),
  fc.constantFrom(10_000, 200_000, 1_000_000).map((n) => ({ value: 'x'.repeat(n) })),
  fc.string({ unit: 'binary', maxLength: 40 }).map((value) => ({ value })),
  fc
    .constantFrom(
      'http://127.0.0.1:1/x.png',
      'http://169.254.169.254/latest/meta-data/',
      'file:///etc/passwd',
      'data:image/gif;base64,R0lGOD',
    )
    .map((value) => ({ value })),
  fc.constant({ raw: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}' }),
)

/** A valid body with one field made wrong, removed, duplicated, or a prototype key added. */
const nearValid = (path: string): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...FIELDS, ...PROTO_KEYS), wrongValue, fc.constantFrom('set', 'delete', 'duplicate'))
    .map(([key, value, how]) => {
      const entries = baseBodies[path]!().filter(([k]) => how === 'duplicate' || k !== key)
      return object(how === 'delete' ? entries : [...entries, [key, value]])
    })

/** A valid body whose prompt carries bytes that are not UTF-8. */
const badUtf8 = (path: string) =>
  fc.uint8Array({ minLength: 1, maxLength: 8 }).map((bytes) => {
    const [head, tail] = object(baseBodies[path]!()).split('"prompt":"')
    return Buffer.concat([Buffer.from(`${head}"prompt":"`), Buffer.from([0xff, 0xc3, ...bytes]), Buffer.from(tail ?? '')])
  })

const body = (path: string): fc.Arbitrary<string | Uint8Array> =>
  fc.oneof(
    { arbitrary: nearValid(path), weight: 5 },
    { arbitrary: fc.json({ maxDepth: 4 }), weight: 2 },
    { arbitrary: fc.uint8Array({ maxLength: 300 }), weight: 1 },
    { arbitrary: badUtf8(path), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 1 },
    { arbitrary: fc.constantFrom('', ' ', 'null', '[]', '{}', '"x"', '{"prompt":'), weight: 1 },
  )

const contentType = fc.option(
  fc.oneof(
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      '*/*',
    ),
    fc.stringMatching(/^[a-z]{1,8}\/[a-z0-9+.-]{1,12}$/),
  ),
  { nil: undefined },
)

// ---- task ids ----

/** Percent-encodes the UTF-8 bytes; `keep` leaves characters as they are, to send raw slashes, dots, % and &. */
const encode = (id: string, keep: RegExp) =>
  [...Buffer.from(id, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b)
      return b < 0x80 && (/[A-Za-z0-9_.~-]/.test(c) || keep.test(c)) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
    })
    .join('')

const taskId: fc.Arbitrary<{ id: string | null; raw: boolean }> = fc.record({
  id: fc.oneof(
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.stringMatching(/^[./%\\a-z0-9?&=#-]{0,40}$/),
    fc.uuid(),
    fc.constantFrom('..', '../../etc/passwd', '%', '%zz', '%00', '%2e%2e%2f', '/', '', ' ', 'a'.repeat(5000)),
    // A real id from an earlier valid submit, filled in when sent.
    fc.constant(null),
  ),
  raw: fc.boolean(),
})

// ---- sending and judging ----

async function send(url: string, init: RequestInit = {}): Promise<{ status: number; json: unknown }> {
  stats.requests++
  // The per-request timeout: a hang fails the property with this case, rather than the whole test.
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) })
  const textBody = await res.text()
  expect(res.headers.get('content-type') ?? '').toMatch(/^application\/json/)
  if (res.status !== 200) stats.refused.set(res.status, (stats.refused.get(res.status) ?? 0) + 1)
  else stats.ok++
  return { status: res.status, json: JSON.parse(textBody) as unknown }
}

/** A contract error with its status as code, a reason, a message to show and metadata; or `ok` holds. */
function judge({ status, json }: { status: number; json: unknown }, ok: (json: unknown) => void) {
  expect(status).toBeLessThan(500)
  if (status === 200) return ok(json)
  expect(CONTRACT_ERROR_STATUSES).toContain(status)
  const error = errorBodySchema.parse(json)
  expect(error.code).toBe(status)
  expect(error.reason).toMatch(/^[A-Z_]+$/)
  expect(error.message?.trim().length).toBeGreaterThan(0)
  expect(error.metadata).toBeTypeOf('object')
}

const submitOk = (json: unknown) => {
  const { task_id } = submitResponseSchema.parse(json)
  if (!known.includes(task_id)) known.push(task_id)
}
const taskOk = (json: unknown) => expect(taskResultSchema.safeParse(json).success).toBe(true)

/** The gateway still answers after the run: /api/config's status. */
const stillAnswers = async (base: string) => (await fetch(`${base}/api/config`, { signal: AbortSignal.timeout(TIMEOUT_MS) })).status

/** Whether the engine's own schema check would pass this body (the server reads it as UTF-8 text, as here). */
function passesSchema(path: string, payload: string | Uint8Array): boolean {
  const model = catalogue.find((m) => m.path === path)
  try {
    checkBody(model!, parseJsonBody(typeof payload === 'string' ? payload : new TextDecoder().decode(payload)))
    return true
  } catch {
    return false
  }
}

const params = (numRuns: number) => ({ numRuns, seed: SEED, endOnFailure: true, maxSkipsPerRun: 1000 })

describe.each([
  ['the local engine', 'local'],
  ['the forwarder (stub upstream)', 'jiekou'],
] as const)('%s', (_, provider) => {
  const base = () => (provider === 'local' ? local.url : forwarder.gateway.url)

  it.each([V30, V31])(`submit %s: any body, any content type → a contract error or {task_id}`, async (path) => {
    await fc.assert(
      fc.asyncProperty(body(path), contentType, async (payload, type) => {
        if (provider === 'local' && passesSchema(path, payload)) {
          // Past the cap, a valid body is skipped (fast-check draws another): the refusals are what is fuzzed here.
          const sent = validSent.get(path) ?? 0
          fc.pre(sent < VALID_LOCAL_CAP)
          validSent.set(path, sent + 1)
        }
        const answer = await send(`${base()}/api${provider === 'local' ? '/local' : '/jiekou'}${path}`, {
          method: 'POST',
          headers: type === undefined ? {} : { 'Content-Type': type },
          body: typeof payload === 'string' ? payload : new Uint8Array(payload),
        })
        judge(answer, submitOk)
        if (provider === 'local' && answer.status === 200) tasksMade++
      }),
      params(RUNS.submit),
    )
    expect(await stillAnswers(base())).toBe(200)
  })

  it('task-result: any task id, encoded or raw → a contract error or a valid task', async () => {
    await fc.assert(
      fc.asyncProperty(taskId, async ({ id, raw }) => {
        const value = id ?? known[stats.requests % Math.max(1, known.length)] ?? ''
        const query = raw ? encode(value, /[/.%?&=#\\]/) : encode(value, /$^/)
        judge(await send(`${base()}/api/${provider}${TASK_RESULT_PATH}?task_id=${query}`), taskOk)
      }),
      params(RUNS.taskResult),
    )
    expect(await stillAnswers(base())).toBe(200)
  })
})

describe('the fuzz itself', () => {
  it('ran at least 2,000 cases, and the local engine made few tasks (no render runs)', () => {
    expect(stats.requests).toBeGreaterThanOrEqual(2000)
    expect(tasksMade).toBeLessThanOrEqual(2 * VALID_LOCAL_CAP)
  })
})

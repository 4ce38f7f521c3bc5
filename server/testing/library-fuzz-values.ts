// The values of the library API's fuzz (library-fuzz-cases.ts puts them in requests): ids real, unknown and hostile,
// query strings, JSON bodies (near-valid ones with one field made wrong, malformed, deeply nested, around a limit) and
// content types.
import * as fc from 'fast-check'
import { encodeCursor } from '../library/api/page.ts'

export const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'))

/** Percent-encodes the UTF-8 bytes, leaving characters of `keep` as they are (raw slashes, dots, %, \\, ?). */
export const encode = (s: string, keep: RegExp = /$^/) =>
  [...Buffer.from(s, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b)
      return b > 0x20 && b < 0x7f && (/[A-Za-z0-9_.~-]/.test(c) || keep.test(c)) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`
    })
    .join('')

// ---- ids ----

/** Ids that try to leave the data folder or that no record could have, written as they go on the wire. */
const hostileRaw = (dataDir: string) => [
  '..%2f..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2fdb',
  '..%5c..%5cprovider-key',
  '%2e%2e',
  '..',
  '.',
  '../../../../etc/passwd',
  '..\\..\\provider-key',
  '%252e%252e%252f',
  '%C0%AE%C0%AE%2F',
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%ED%B0%80x',
  '%',
  '%zz',
  '~',
  encode(dataDir),
  encode(`${dataDir}/provider-key`),
  encode('/etc/passwd'),
  encode('C:\\Windows\\win.ini'),
  'x'.repeat(513),
  'x'.repeat(4000),
  'x'.repeat(20_000),
]

export const idText = fc.oneof(
  fc.uuid(),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udc00', '💥', '\u202eevil', 'local:', 'local:nope#0', 'jiekou:x#99'),
  fc.stringMatching(/^[0-9a-f]{64}$/),
)

/** An id: one of `real`, someone else's, unknown, or hostile; percent-encoded, or partly raw. */
export const id = (real: string[], others: string[], dataDir: string): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...real).map((s) => encode(s)), weight: 4 },
    { arbitrary: fc.constantFrom(...others).map((s) => encode(s)), weight: 1 },
    { arbitrary: fc.constantFrom(...hostileRaw(dataDir)), weight: 3 },
    { arbitrary: fc.tuple(idText, fc.boolean()).map(([s, raw]) => encode(s, raw ? /[/.%\\:@!$'()*+,;=]/ : /$^/)), weight: 3 },
  )

// ---- query strings ----

const cursor = fc.oneof(
  fc.constantFrom(
    encodeCursor({ micros: BigInt(Date.now()) * 1000n, key: 'local:fz-a#0' }),
    encodeCursor({ micros: 0n, key: 'x' }),
    Buffer.from('99999999999999999999.x').toString('base64url'),
    Buffer.from('1.\u0000').toString('base64url'),
    Buffer.from('-1.x').toString('base64url'),
    Buffer.from('1.').toString('base64url'),
    'x'.repeat(1025),
    '===',
    '',
  ),
  fc.base64String({ maxLength: 40 }),
  fc.string({ maxLength: 30 }),
)

const QUERY_VALUES = ['0', '1', '60', '200', '201', '-1', '1.5', '1e2', 'abc', '', ' 5', '99999', '00001', '1'.repeat(30), 'true', 'yes']
const queryPair: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(fc.constant('limit'), fc.constantFrom(...QUERY_VALUES)),
  fc.tuple(fc.constant('cursor'), cursor),
  fc.tuple(fc.constantFrom('favourite', 'visible', 'provider'), fc.constantFrom('1', '0', 'true', 'false', 'local', 'jiekou', '', '2')),
  fc.tuple(
    fc.constantFrom('q', 'model', 'experiment', 'name'),
    fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom('%', '_', "'; drop table samples; --", '\u0000', 'x'.repeat(501), 'y'.repeat(10_000), 'exp-fz'),
    ),
  ),
  fc.tuple(fc.constantFrom('width', 'height', 'after'), fc.constantFrom(...QUERY_VALUES, '100001', '1280')),
  fc.tuple(fc.oneof(fc.stringMatching(/^[a-z_]{1,10}$/), fc.constantFrom('__proto__', 'constructor', 'limit[]', 'cursor[0]')), fc.string()),
)

export const query = fc
  .tuple(fc.array(queryPair, { maxLength: 4 }), fc.boolean())
  .map(([pairs, raw]) =>
    pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${encode(k, raw ? /[[\]]/ : /$^/)}=${encode(v, raw ? /[%/]/ : /$^/)}`).join('&')}`,
  )

// ---- JSON bodies ----

/** A JSON value written as text: a value to stringify, or a raw token (1e309, escapes of NUL and lone surrogates). */
type Piece = { value: unknown } | { raw: string }
const text = (p: Piece) => ('raw' in p ? p.raw : JSON.stringify(p.value))
const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`

const wrongValue: fc.Arbitrary<Piece> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((value) => ({ value })),
  fc
    .constantFrom('"a\\u0000b"', '"\\ud800"', '"x\\udc00"', '1e309', '-0', '9007199254740993', '1.5', '-1', '[]', '{}', 'null')
    .map((raw) => ({ raw })),
  fc.constantFrom(80, 201, 4_100, 10_001, 1_000_100).map((n) => ({ value: 'x'.repeat(n) })),
  fc.constantFrom(deep(64), deep(5_000), deepObject(3_000), '{"__proto__":{"polluted":true}}').map((raw) => ({ raw })),
)

/** Writes `value` with the piece at `at` set (or removed, when the piece is undefined). */
function write(value: unknown, at: readonly string[], piece: Piece | undefined): string {
  if (at.length === 0) return piece ? text(piece) : JSON.stringify(value)
  const [key, ...rest] = at as [string, ...string[]]
  if (Array.isArray(value)) return `[${value.map((v, i) => (String(i) === key ? write(v, rest, piece) : JSON.stringify(v))).join(',')}]`
  const entries = Object.entries((value ?? {}) as Record<string, unknown>)
  if (!entries.some(([k]) => k === key)) entries.push([key, undefined])
  return `{${entries
    .filter(([k]) => k !== key || piece !== undefined || rest.length > 0)
    .map(([k, v]) => `${JSON.stringify(k)}:${k === key ? write(v, rest, piece) : JSON.stringify(v)}`)
    .join(',')}}`
}

/** Every path into a template, objects and arrays alike; and one new key at the top. */
function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])])
}

const nearValid = (template: unknown) =>
  fc
    .tuple(fc.constantFrom(...pathsOf(template), ['extra'], ['__proto__']), fc.option(wrongValue, { nil: undefined, freq: 5 }))
    .map(([at, piece]) => write(template, at, piece))

const BAD_JSON = ['', ' ', '{', '{"favourite":', 'nul', '"x"', '1', 'null', '{"a":1,}', "{'a':1}", '\uFEFF{}', '[{}]']

export const jsonBody = (template: unknown, limit: number) =>
  fc.oneof(
    { arbitrary: fc.constant(JSON.stringify(template)).map(utf8), weight: 2 },
    { arbitrary: nearValid(template).map(utf8), weight: 8 },
    { arbitrary: fc.json({ maxDepth: 4 }).map(utf8), weight: 2 },
    { arbitrary: fc.constantFrom(...BAD_JSON, `[${JSON.stringify(template)}]`).map(utf8), weight: 2 },
    { arbitrary: fc.constantFrom(deep(100_000), deepObject(50_000)).map(utf8), weight: 1 },
    // Around the route's own limit: just under, at, and over.
    { arbitrary: fc.integer({ min: -40, max: 40 }).map((d) => utf8(`{"name":"${'x'.repeat(Math.max(0, limit - 11 + d))}"}`)), weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: 200 }), weight: 1 },
  )

export const contentType = fc.option(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'image/png',
    'application/octet-stream',
  ),
  { nil: undefined, freq: 6 },
)

const buffers = new Map<number, Uint8Array>()
/** One zeroed buffer of each size, shared by every case that sends it. */
export const big = (size: number) => buffers.get(size) ?? buffers.set(size, new Uint8Array(size)).get(size)!

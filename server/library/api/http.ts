import type { Context } from 'hono'
import * as z from 'zod'
import { ContractError } from '../../errors.ts'

/*
 * The library API's edge: what a request may carry, read and checked before any query runs. Every refusal is a
 * ContractError whose message names the field and the fix; the technical part goes in metadata.detail.
 */

/** What every library route knows: the workspace the guard (workspace.ts) gave this request. */
export interface LibraryEnv {
  Variables: { workspace: string }
}

/** The longest id the library makes is far shorter; a longer one names nothing, so it is not looked up. */
const MAX_ID_CHARS = 512

/** Text PostgreSQL can keep: no NUL, and no half of a surrogate pair (jsonb and text refuse both). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
export const isStorable = (s: string) => !s.includes('\u0000') && !LONE_SURROGATE.test(s)

/** How deep JSON kept in a jsonb column may nest: the studio's is three levels; jsonb (and JSON.stringify) refuse thousands. */
const MAX_JSON_DEPTH = 32
const UNSTORABLE = 'holds a character that cannot be stored (a NUL or half of a surrogate pair): remove it'

/** What PostgreSQL's jsonb would refuse in `value` (walked without recursion), in words; undefined when it keeps it. */
function jsonTrouble(value: unknown): string | undefined {
  const stack: [unknown, number][] = [[value, 0]]
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [v, depth] = item
    if (typeof v === 'string' && !isStorable(v)) return UNSTORABLE
    if (v === null || typeof v !== 'object') continue
    if (depth >= MAX_JSON_DEPTH) return `is nested more than ${MAX_JSON_DEPTH} levels deep: send the body the studio prepared`
    for (const [k, child] of Object.entries(v)) {
      if (!isStorable(k)) return UNSTORABLE
      stack.push([child, depth + 1])
    }
  }
  return undefined
}

/** JSON kept in a jsonb column: refused with words when the database could not keep it (a 500 otherwise). */
export const storableJson = <T extends z.ZodType>(schema: T, label = '') =>
  schema.superRefine((value, ctx) => {
    const trouble = jsonTrouble(value)
    if (trouble) ctx.addIssue({ code: 'custom', message: label ? `${label} ${trouble}.` : trouble })
  })
export const storableText = (max: number) => z.string().max(max).refine(isStorable, UNSTORABLE)

/** A string field of a body or query: at most `max` characters, storable, with words for each way it can be wrong. */
export const textField = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text.` })
    .max(max, { error: `${label} is longer than ${max.toLocaleString('en')} characters: shorten it.` })
    .refine(isStorable, { error: `${label} holds a character that cannot be stored (a NUL or half of a surrogate pair): remove it.` })

const quoted = (keys: readonly string[]) => keys.map((k) => `"${k}"`).join(', ')

/** A JSON body: an object with exactly these fields, whose refusals show the shape to send. */
export const bodyObject = <T extends z.core.$ZodLooseShape>(shape: T, example: string) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `The body has ${quoted(issue.keys)}, which this request does not take: remove ${issue.keys.length > 1 ? 'them' : 'it'} and send an object such as ${example}.`
        : `The body must be a JSON object such as ${example}.`,
  })

/** A query string: these parameters and no others (a misspelt filter would otherwise quietly filter nothing). */
export const queryObject = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `The query has ${quoted(issue.keys)}, which this list does not take: remove ${issue.keys.length > 1 ? 'them' : 'it'}. It takes ${quoted(Object.keys(shape))}.`
        : 'The query string could not be read.',
  })

/** The words of a zod refusal (each issue's message is written for a person), and the paths for a developer. */
function refusal(error: z.ZodError, where: 'body' | 'query', paths = false): ContractError {
  // In a list of records, the words say which one: "samples.12: …".
  const words = (i: z.core.$ZodIssue) => (paths && i.path.length > 1 ? `${i.path.slice(0, 2).join('.')}: ${i.message}` : i.message)
  const messages = [...new Set(error.issues.map(words))]
  return new ContractError(400, 'INVALID_REQUEST_BODY', messages.slice(0, 3).join(' '), {
    detail: error.issues.map((i) => `${where}${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.code}`).join('; '),
  })
}

export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query())
  if (!parsed.success) throw refusal(parsed.error, 'query')
  return parsed.data
}

const sizeWords = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`)

export const tooLarge = (maxBytes: number, purpose: string, fix: string) =>
  new ContractError(
    413,
    'PAYLOAD_TOO_LARGE',
    `The request body is larger than ${sizeWords(maxBytes)}, more than ${purpose} can need: ${fix}`,
    {
      maxBytes,
    },
  )

/**
 * The body's bytes, refused past `maxBytes` (by its Content-Length before reading, or while reading one sent in
 * chunks): a body that size is never buffered.
 */
export async function readBytes(c: Context, maxBytes: number, purpose: string, fix: string): Promise<Uint8Array> {
  const declared = Number(c.req.header('content-length'))
  if (declared > maxBytes) throw tooLarge(maxBytes, purpose, fix)
  const body = c.req.raw.body
  if (!body) return new Uint8Array(0)
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = body.getReader()
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength
    if (size > maxBytes) {
      void reader.cancel().catch(() => undefined)
      throw tooLarge(maxBytes, purpose, fix)
    }
    chunks.push(read.value)
  }
  return Buffer.concat(chunks, size)
}

/** A JSON body checked by `schema`; `example` is the shape the words show when the body is not one. */
export async function readJson<S extends z.ZodType>(
  c: Context,
  schema: S,
  limits: { maxBytes: number; purpose: string; example: string; paths?: boolean },
): Promise<z.output<S>> {
  const bytes = await readBytes(c, limits.maxBytes, limits.purpose, `send only the fields it takes, such as ${limits.example}.`)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new ContractError(400, 'INVALID_REQUEST_BODY', `The request body is not UTF-8 text: send JSON such as ${limits.example}.`)
  }
  if (text.trim() === '')
    throw new ContractError(400, 'INVALID_REQUEST_BODY', `The request body is empty: send JSON such as ${limits.example}.`)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new ContractError(400, 'INVALID_REQUEST_BODY', `The request body is not valid JSON: send JSON such as ${limits.example}.`, {
      detail: (err as Error).message,
    })
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw refusal(parsed.error, 'body', limits.paths)
  return parsed.data
}

/** A body's list of ids (a selection): 1 to `max` of them, each one a record could have. */
export const idList = (label: string, kind: string, max: number, example: string) =>
  z
    .array(
      z
        .string({ error: `${label} must hold ${kind} ids as text, such as ${example}.` })
        .min(1, { error: `${label} holds an empty id: leave it out.` })
        .max(MAX_ID_CHARS, { error: `${label} holds an id longer than ${MAX_ID_CHARS} characters, which no ${kind} has: leave it out.` })
        .refine(isStorable, {
          error: `${label} holds an id with a character that cannot be stored (a NUL or half of a surrogate pair): leave it out.`,
        }),
      { error: `${label} must be a list of ${kind} ids, such as ${example}.` },
    )
    .min(1, { error: `${label} is empty: name at least one ${kind}.` })
    .max(max, {
      error: `${label} names more than ${max.toLocaleString('en')} ${kind}s: send them in parts of at most ${max.toLocaleString('en')}.`,
    })

const shortId = (id: string) => (id.length > 80 ? `${id.slice(0, 80)}…` : id)

/** A 404 with words: `No sample abc: it may have been deleted.` */
export const notFound = (kind: string, id: string, why = 'it may have been deleted.') =>
  new ContractError(404, 'NOT_FOUND', `No ${kind} ${shortId(id)}: ${why}`, { id: shortId(id) })

/** A path id: one that no record could have (too long, not storable) is not found, without asking the database. */
export function idParam(c: Context, name: string, kind: string): string {
  const id = c.req.param(name) ?? ''
  if (id === '' || id.length > MAX_ID_CHARS || !isStorable(id)) throw notFound(kind, id)
  return id
}

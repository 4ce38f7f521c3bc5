import * as z from 'zod'
import { KNOWN_STATUSES } from '../../../src/api/schemas.ts'
import { MAX_FRAME_BYTES } from '../../../src/lib/image-type.ts'
import { SHA256_HEX } from '../blobs/blob-store.ts'
import { bodyObject, storableJson, textField } from './http.ts'
import { cellRef, experimentColumn, MAX_PROMPT_CHARS, msTime, recordId, storedRequest } from './record-schemas.ts'

/*
 * What POST /import takes: the studio's records in the shapes the library API answers with (records.ts: camelCase,
 * times in ms, fields left out where a record has none; null is read as left out). A sample or frame names its files
 * by SHA-256, put first with PUT /blobs/<sha256>. Refusals name the record ("samples.12: …") and the fix.
 */

/** Records per call: a migration sends its records in parts this size (and resumes where a cut left it). */
export const MAX_IMPORT_RECORDS = 2000
/** A part of 2,000 records with long prompts and requests fits well within this. */
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024

/** An optional field that may also come as null. */
const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined)

const sha256 = (label: string) =>
  z
    .string({ error: `${label} must be a SHA-256 as text.` })
    .regex(SHA256_HEX, { error: `${label} must be a SHA-256: 64 lower-case hexadecimal characters.` })

const provider = z.enum(['local', 'jiekou'], { error: '"provider" must be local or jiekou.' })
const seed = z.union([textField('"seed"', 40), z.number().int()], { error: '"seed" must be a whole number or its text.' }).transform(String)
const count = (label: string, max: number) => {
  const words = `${label} must be a whole number from 0 to ${max}.`
  return z.number({ error: words }).int({ error: words }).min(0, { error: words }).max(max, { error: words })
}

export const importedTask = z
  .strictObject(
    {
      id: recordId('"id"', 600),
      provider,
      taskId: recordId('"taskId"', 512),
      request: storedRequest('"request"'),
      createdAt: msTime('"createdAt"'),
      status: z.enum([...KNOWN_STATUSES, 'TASK_STATUS_UNKNOWN'], { error: '"status" must be a task status, such as TASK_STATUS_SUCCEED.' }),
      reason: opt(textField('"reason"', 10_000)),
      finishedAt: opt(msTime('"finishedAt"')),
      seed: opt(seed),
      videoCount: opt(count('"videoCount"', 64)),
      retriedAs: opt(recordId('"retriedAs"', 600)),
      dismissed: opt(z.boolean({ error: '"dismissed" must be true or false.' })),
      sentAt: opt(msTime('"sentAt"')),
      experimentId: opt(recordId('"experimentId"', 80)),
      cell: opt(cellRef),
      stalled: opt(
        storableJson(
          z.strictObject(
            {
              message: textField('"stalled.message"', 10_000),
              details: opt(textField('"stalled.details"', 10_000)),
              at: msTime('"stalled.at"'),
            },
            { error: '"stalled" must be {"message", "at"} (with "details"), or left out.' },
          ),
        ),
      ),
      lost: opt(z.boolean({ error: '"lost" must be true, or left out.' })),
      etaSeconds: opt(z.number({ error: '"etaSeconds" must be a number.' }).min(0, { error: '"etaSeconds" must be 0 or more.' })),
      progressPercent: opt(
        z.number({ error: '"progressPercent" must be a number.' }).min(0).max(100, { error: '"progressPercent" must be from 0 to 100.' }),
      ),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `a task does not take ${issue.keys.map((k) => `"${k}"`).join(', ')}: leave it out.`
          : 'a task must be an object in the shape GET /tasks/<id> answers.',
    },
  )
  .refine((t) => t.id === `${t.provider}:${t.taskId}`, { error: '"id" must be "<provider>:<taskId>", as the studio names a task.' })

export const importedSample = z
  .strictObject(
    {
      id: recordId('"id"', 700),
      taskRecordId: recordId('"taskRecordId"', 600),
      provider,
      index: count('"index"', 63),
      request: storedRequest('"request"'),
      seed: opt(seed),
      createdAt: msTime('"createdAt"'),
      videoUrl: textField('"videoUrl"', 8192),
      urlExpiresAt: msTime('"urlExpiresAt"'),
      /** Read from videoSha256; checked so that a sample said to be stored names its copy. */
      stored: opt(z.boolean({ error: '"stored" must be true or false.' })),
      videoSha256: opt(sha256('"videoSha256"')),
      posterSha256: opt(sha256('"posterSha256"')),
      storeError: opt(textField('"storeError"', 10_000)),
      favourite: opt(
        z.union([z.boolean(), z.literal(0), z.literal(1)], { error: '"favourite" must be true or false (or 1 or 0).' }),
      ).transform((v) => v === true || v === 1),
      deletedAt: opt(msTime('"deletedAt"')),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `a sample does not take ${issue.keys.map((k) => `"${k}"`).join(', ')}: leave it out.`
          : 'a sample must be an object in the shape GET /samples/<id> answers.',
    },
  )
  .refine((s) => s.id === `${s.taskRecordId}#${s.index}`, { error: '"id" must be "<taskRecordId>#<index>", as the studio names a sample.' })
  .refine((s) => s.stored !== true || s.videoSha256 !== undefined, {
    error:
      'it says "stored": true but names no "videoSha256": upload its video to PUT /blobs/<sha256> and send its SHA-256, or send "stored": false.',
  })

export const importedExperiment = z.strictObject(
  {
    id: recordId('"id"', 80),
    name: textField('"name"', 200),
    createdAt: msTime('"createdAt"'),
    base: storedRequest('"base"'),
    rows: z
      .array(textField('A row', MAX_PROMPT_CHARS), { error: '"rows" must be a list of prompts.' })
      .max(1024, { error: '"rows" holds more than 1,024 prompts.' }),
    columns: z
      .array(experimentColumn, { error: '"columns" must be a list of columns.' })
      .max(4096, { error: '"columns" holds more than 4,096 columns.' }),
    marks: opt(storableJson(z.record(z.string(), z.unknown(), { error: '"marks" must be an object of cells.' }), '"marks"')),
    deletedAt: opt(msTime('"deletedAt"')),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `an experiment does not take ${issue.keys.map((k) => `"${k}"`).join(', ')}: leave it out.`
        : 'an experiment must be an object in the shape GET /experiments answers.',
  },
)

export const importedPrompt = z.strictObject(
  {
    text: textField('"text"', MAX_PROMPT_CHARS).refine((s) => s.trim() !== '', { error: '"text" is empty.' }),
    lastUsedAt: msTime('"lastUsedAt"'),
    uses: z
      .number({ error: '"uses" must be a whole number from 1.' })
      .int()
      .min(1, { error: '"uses" must be a whole number from 1.' })
      .max(2 ** 31 - 1),
  },
  { error: 'a prompt must be {"text", "lastUsedAt", "uses"}.' },
)

const pixels = (label: string) => {
  const words = `${label} must be whole pixels, from 1 to 100000.`
  return z.number({ error: words }).int({ error: words }).min(1, { error: words }).max(100_000, { error: words })
}

export const importedFrame = z.strictObject(
  {
    hash: sha256('"hash"'),
    mime: z.enum(['image/jpeg', 'image/png'], { error: '"mime" must be image/jpeg or image/png.' }),
    width: pixels('"width"'),
    height: pixels('"height"'),
    bytes: z
      .number({ error: '"bytes" must be the frame\'s size in bytes.' })
      .int()
      .min(1)
      .max(MAX_FRAME_BYTES, { error: '"bytes" is past the 20 MB a frame may be.' }),
    name: textField('"name"', 255),
    addedAt: msTime('"addedAt"'),
    thumbSha256: opt(sha256('"thumbSha256"')),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `a frame does not take ${issue.keys.map((k) => `"${k}"`).join(', ')}: leave it out (its bytes go to PUT /blobs/<hash>).`
        : 'a frame must be an object in the shape GET /frames/<hash> answers.',
  },
)

const list = <T extends z.ZodType>(label: string, record: T) =>
  z
    .array(record, { error: `"${label}" must be a list of records.` })
    .max(MAX_IMPORT_RECORDS, {
      error: `"${label}" holds more than ${MAX_IMPORT_RECORDS.toLocaleString('en')} records: send them in parts.`,
    })
    .optional()

export const IMPORT_EXAMPLE = '{"tasks": [...], "samples": [...], "experiments": [...], "prompts": [...], "frames": [...]}'

export const importBody = bodyObject(
  {
    tasks: list('tasks', importedTask),
    samples: list('samples', importedSample),
    experiments: list('experiments', importedExperiment),
    prompts: list('prompts', importedPrompt),
    frames: list('frames', importedFrame),
  },
  IMPORT_EXAMPLE,
).superRefine((body, ctx) => {
  const total = Object.values(body).reduce((n, records) => n + (records?.length ?? 0), 0)
  if (total > MAX_IMPORT_RECORDS)
    ctx.addIssue({
      code: 'custom',
      message: `The import holds ${total.toLocaleString('en')} records, more than ${MAX_IMPORT_RECORDS.toLocaleString('en')}: send them in parts of at most ${MAX_IMPORT_RECORDS.toLocaleString('en')}.`,
    })
})

export type ImportBody = z.output<typeof importBody>

const keys = (label: string, key: z.ZodType<string>) =>
  z
    .array(key, { error: `"${label}" must be a list.` })
    .max(MAX_IMPORT_RECORDS, { error: `"${label}" names more than ${MAX_IMPORT_RECORDS.toLocaleString('en')}: ask in parts.` })
    .optional()

export const HELD_EXAMPLE =
  '{"tasks": ["local:abc"], "samples": ["local:abc#0"], "prompts": ["a lighthouse at dusk"], "frames": ["<sha256>"]}'

export const heldBody = bodyObject(
  {
    tasks: keys('tasks', recordId('A task id', 600)),
    samples: keys('samples', recordId('A sample id', 700)),
    experiments: keys('experiments', recordId('An experiment id', 80)),
    prompts: keys('prompts', textField('A prompt', MAX_PROMPT_CHARS)),
    frames: keys('frames', sha256('A frame hash')),
  },
  HELD_EXAMPLE,
)

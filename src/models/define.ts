import * as z from 'zod/mini'
import { effectiveValue } from './effective'
import type { Draft, FieldSpec, FrameSpec, ModelSpec, RequestBody } from './types'

// zod/mini (not classic zod) keeps the first-paint bundle small, but it ships no messages: load the English ones so
// the default messages ("Invalid input: expected string, received number") read as before.
z.config(z.locales.en())

type ModelDefinition = Omit<ModelSpec, 'schema' | 'toRequestBody' | 'path'>

const quote = (v: string | number) => (typeof v === 'string' ? `"${v}"` : String(v))

function fieldSchema(field: FieldSpec): z.ZodMiniType {
  const { key } = field
  switch (field.kind) {
    case 'text': {
      const s = z.string({ error: `${key} must be text` })
      return field.required
        ? s.check(z.refine((v) => v.trim().length > 0, { message: `${key} is required: describe the video you want` }))
        : z.optional(s)
    }
    case 'enum': {
      const values = field.options.map((o) => o.value) as [string | number, ...(string | number)[]]
      const s = z.literal(values, {
        error: (issue) =>
          `${key} must be one of ${values.map(quote).join(', ')}` +
          (issue.input === undefined ? '' : ` (got ${JSON.stringify(issue.input)})`),
      })
      return field.required ? s : z.optional(s)
    }
    case 'integer': {
      const range = `${key} must be a whole number from ${field.min} to ${field.max}`
      const s = z
        .number({ error: range })
        .check(z.int({ error: range }), z.gte(field.min, { error: range }), z.lte(field.max, { error: range }))
      return field.required ? s : z.optional(s)
    }
    case 'boolean': {
      const s = z.boolean({
        error: (issue) => (issue.input === undefined ? `${key} is required: true or false` : `${key} must be true or false`),
      })
      return field.required ? s : z.optional(s)
    }
  }
}

export const isHttpUrl = (v: string) => /^https?:\/\/\S+$/i.test(v)

function frameShape(frame: FrameSpec): Record<string, z.ZodMiniType> {
  if ('any' in frame.body) {
    const key = frame.body.any
    const s = z
      .string({ error: `${key} is required: the ${frame.label.toLowerCase()} as a URL or base64 JPEG/PNG` })
      .check(z.minLength(1, { error: `${key} is required: the ${frame.label.toLowerCase()} as a URL or base64 JPEG/PNG` }))
    return { [key]: frame.required ? s : z.optional(s) }
  }
  return {
    [frame.body.url]: z.optional(z.string().check(z.refine(isHttpUrl, { message: `${frame.body.url} must be an http(s) URL` }))),
    [frame.body.base64]: z.optional(z.string().check(z.minLength(1, { error: `${frame.body.base64} must not be empty` }))),
  }
}

/** Builds the zod schema of a model's request body from its declared fields and frames. */
function bodySchema(def: ModelDefinition): z.ZodMiniType<RequestBody> {
  const shape: Record<string, z.ZodMiniType> = {}
  for (const frame of def.frames) Object.assign(shape, frameShape(frame))
  for (const field of def.fields) shape[field.key] = fieldSchema(field)
  return z
    .strictObject(shape, {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}: remove it`
          : 'the request body must be a JSON object',
    })
    .check(
      z.superRefine((body: Record<string, unknown>, ctx) => {
        for (const frame of def.frames) {
          if ('any' in frame.body) continue
          const { url, base64 } = frame.body
          const given = [url, base64].filter((k) => body[k] !== undefined)
          if (frame.required && given.length === 0)
            ctx.addIssue({
              code: 'custom',
              path: [base64],
              message: `${url} or ${base64} is required: give the ${frame.label.toLowerCase()} as one of them`,
            })
          if (given.length > 1) ctx.addIssue({ code: 'custom', path: [url], message: `give ${url} or ${base64}, not both` })
        }
      }),
    ) as unknown as z.ZodMiniType<RequestBody>
}

export function defineModel(def: ModelDefinition): ModelSpec {
  const schema = bodySchema(def)
  return {
    ...def,
    path: `/v3/async/${def.id}`,
    schema,
    toRequestBody(draft: Draft) {
      const body: Record<string, unknown> = {}
      for (const frame of def.frames) {
        const input = draft.frames[frame.slot]
        if (!input) continue
        const value = input.kind === 'url' ? input.url : input.base64
        const key = 'any' in frame.body ? frame.body.any : input.kind === 'url' ? frame.body.url : frame.body.base64
        body[key] = value
      }
      for (const field of def.fields) {
        const value = effectiveValue(field, draft.params[field.key])
        if (value !== undefined && value !== '') body[field.key] = value
      }
      return body
    },
  }
}

/** One line that names each refused field and what to do, e.g. "duration_seconds must be one of 4, 6, 8 (got 5)". */
export function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.join('.')
      return field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message
    })
    .join('; ')
}

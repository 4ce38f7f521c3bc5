import { randomInt } from 'node:crypto'
import { describeIssues, isHttpUrl } from '../../src/models/define.ts'
import { effectiveParams, outputSize, videoShape, type AspectRatio, type Resolution } from '../../src/models/effective.ts'
import type { FrameSlot, ModelSpec, RequestBody } from '../../src/models/types.ts'
import { ContractError, invalidRequestBody } from '../errors.ts'
import { checkFrame, decodeBase64, fetchImage, FrameRefusal, type FrameFetchOptions, type ImageKind } from './frames.ts'

/*
 * Submit-time checks, in the order a person would fix them: the body is JSON, it matches the model's own
 * zod schema (the same one the studio validates with), and every frame is a decodable JPEG or PNG.
 * Everything here answers 400 INVALID_REQUEST_BODY with a message that names the field; a frame's refusal leads with
 * the frame's label in plain words and names the field in metadata.detail.
 */

/** What a task renders: the request with the catalogue's defaults filled in, and its frames on disk. */
export interface Job {
  model: string
  prompt: string
  negativePrompt: string | undefined
  /** Reported back as the task result's extra.person_generation; a model without the field has none. */
  personGeneration?: string
  aspectRatio: AspectRatio
  resolution: Resolution
  width: number
  height: number
  durationSeconds: number
  sampleCount: number
  seed: number
  audio: boolean
  frames: Partial<Record<FrameSlot, { file: string; kind: ImageKind; width: number; height: number; field: string }>>
}

/** Parses the raw text of a submit body; names the problem when it is not a JSON object. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw invalidRequestBody('The request body is empty: send a JSON object with prompt and the frame fields')
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw invalidRequestBody(`The request body is not valid JSON (${(err as Error).message}): send a JSON object`)
  }
}

/** How deep a field's value may nest: every field of a submit is text, a number or true/false, so this is generous. */
export const MAX_FIELD_DEPTH = 32

/** Whether `value` nests arrays or objects more than `limit` levels deep (walked without recursion). */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [v, depth] = item
    if (v === null || typeof v !== 'object') continue
    if (depth >= limit) return true
    for (const child of Object.values(v)) stack.push([child, depth + 1])
  }
  return false
}

/** Checks the body against the model's schema; resolves to the parsed body. */
export function checkBody(model: ModelSpec, raw: unknown): RequestBody {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw invalidRequestBody(
      `The request body must be a JSON object, not ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`,
    )
  // A value nested thousands deep would overflow the stack of the schema's own messages (a 500): refuse it by name.
  const deep = Object.entries(raw).find(([, v]) => nestsDeeperThan(v, MAX_FIELD_DEPTH))
  if (deep)
    throw invalidRequestBody(
      `${deep[0].slice(0, 60)} is nested more than ${MAX_FIELD_DEPTH} levels deep: every field of a submit is text, a number or true/false`,
    )
  const parsed = model.schema.safeParse(raw)
  if (!parsed.success) throw invalidRequestBody(describeIssues(parsed.error))
  return parsed.data
}

/**
 * Everything a render needs from a valid body: the values it runs with (the catalogue's rule, the same one the
 * studio shows: defaults filled, locks applied), the seed decided, and the frames fetched or decoded, checked and
 * written into `dir`.
 */
export async function buildJob(model: ModelSpec, body: RequestBody, dir: string, fetchOptions: FrameFetchOptions): Promise<Job> {
  const params = effectiveParams(model, body)
  const shape = videoShape(model, body)
  // No seed stated: draw one, and report it, so the video can be made again.
  const seed = typeof params.seed === 'number' ? params.seed : randomInt(0, 2 ** 32)

  const slots = await Promise.all(
    model.frames.map(async (spec) => {
      const keys = 'any' in spec.body ? [spec.body.any] : [spec.body.url, spec.body.base64]
      const field = keys.find((k) => typeof body[k] === 'string')
      if (!field) return undefined
      const value = String(body[field])
      // In a URL-or-base64 field a URL is fetched; a field that is only for base64 never fetches.
      const asUrl = 'any' in spec.body ? isHttpUrl(value) : field === spec.body.url
      try {
        if (asUrl && !isHttpUrl(value))
          throw new FrameRefusal(
            field,
            'has a link that is not http or https. Use a web link, or drop the file instead.',
            `${field} must be an http(s) URL`,
          )
        const bytes = asUrl ? await fetchImage(field, value, fetchOptions) : decodeBase64(field, value)
        const frame = await checkFrame(field, bytes, `${dir}/${spec.slot}`)
        return [spec.slot, { file: frame.file, kind: frame.kind, width: frame.width, height: frame.height, field }] as const
      } catch (err) {
        // The designer knows the frame by its label; the body field goes to metadata.detail with the technical words.
        if (err instanceof FrameRefusal) throw new ContractError(err.status, err.reason, `${spec.label} ${err.plain}`, err.metadata)
        throw err
      }
    }),
  )
  const frames: Job['frames'] = {}
  for (const s of slots) if (s) frames[s[0]] = s[1]
  if (!frames.first) throw invalidRequestBody('A first frame is required: give it as a JPEG or PNG')

  const text = (v: unknown) => (typeof v === 'string' ? v : undefined)
  return {
    model: model.id,
    prompt: text(params.prompt) ?? '',
    negativePrompt: text(params.negative_prompt),
    personGeneration: text(params.person_generation),
    aspectRatio: shape.aspectRatio,
    resolution: shape.resolution,
    ...outputSize(shape.resolution, shape.aspectRatio),
    durationSeconds: shape.durationSeconds,
    sampleCount: shape.sampleCount,
    seed,
    audio: shape.audio,
    frames,
  }
}

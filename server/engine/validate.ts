import { randomInt } from 'node:crypto'
import { describeIssues } from '../../src/models/define.ts'
import type { FrameSlot, ModelSpec, RequestBody } from '../../src/models/types.ts'
import { invalidRequestBody } from '../errors.ts'
import { isHttpUrl } from '../../src/models/define.ts'
import { checkFrame, decodeBase64, fetchImage, type FrameFetchOptions, type ImageKind } from './frames.ts'

/*
 * Submit-time checks, in the order a person would fix them: the body is JSON, it matches the model's own
 * zod schema (the same one the studio validates with), and every frame is a decodable JPEG or PNG.
 * Everything here answers 400 INVALID_REQUEST_BODY with a message that names the field.
 */

export interface Job {
  model: string
  prompt: string
  negativePrompt: string | undefined
  personGeneration: string
  aspectRatio: '16:9' | '9:16'
  resolution: '720p' | '1080p'
  width: number
  height: number
  durationSeconds: number
  sampleCount: number
  seed: number
  /** True when the request carried no seed and we drew one. */
  seedDrawn: boolean
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

/** Checks the body against the model's schema; resolves to the parsed body. */
export function checkBody(model: ModelSpec, raw: unknown): RequestBody {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw invalidRequestBody(
      `The request body must be a JSON object, not ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`,
    )
  const parsed = model.schema.safeParse(raw)
  if (!parsed.success) throw invalidRequestBody(describeIssues(parsed.error))
  return parsed.data
}

/** 720p 16:9 = 1280×720, 9:16 = 720×1280; 1080p 16:9 = 1920×1080, 9:16 = 1080×1920. */
export function outputSize(resolution: '720p' | '1080p', aspect: '16:9' | '9:16'): { width: number; height: number } {
  const [long, short] = resolution === '1080p' ? [1920, 1080] : [1280, 720]
  return aspect === '16:9' ? { width: long, height: short } : { width: short, height: long }
}

function defaultOf(model: ModelSpec, key: string): string | number | boolean | undefined {
  const field = model.fields.find((f) => f.key === key)
  if (!field) return undefined
  if (field.kind === 'boolean' && field.lock) return field.lock.value
  return field.default
}

/**
 * Everything a render needs from a valid body: defaults filled from the catalogue, the seed decided,
 * and the frames fetched or decoded, checked and written into `dir`.
 */
export async function buildJob(model: ModelSpec, body: RequestBody, dir: string, fetchOptions: FrameFetchOptions): Promise<Job> {
  const pick = <T extends string | number | boolean>(key: string): T => (body[key] ?? defaultOf(model, key)) as T
  const resolution = pick<'720p' | '1080p'>('resolution') ?? '720p'
  const aspectRatio = pick<'16:9' | '9:16'>('aspect_ratio') ?? '16:9'
  const given = body.seed
  const seed = typeof given === 'number' ? given : randomInt(0, 2 ** 32)

  const slots = await Promise.all(
    model.frames.map(async (spec) => {
      const keys = 'any' in spec.body ? [spec.body.any] : [spec.body.url, spec.body.base64]
      const field = keys.find((k) => typeof body[k] === 'string')
      if (!field) return undefined
      const value = String(body[field])
      // In a URL-or-base64 field a URL is fetched; a field that is only for base64 never fetches.
      const asUrl = 'any' in spec.body ? isHttpUrl(value) : field === spec.body.url
      if (asUrl && !isHttpUrl(value)) throw invalidRequestBody(`${field} must be an http(s) URL`)
      const bytes = asUrl ? await fetchImage(field, value, fetchOptions) : decodeBase64(field, value)
      const frame = await checkFrame(field, bytes, `${dir}/${spec.slot}`)
      return [spec.slot, { file: frame.file, kind: frame.kind, width: frame.width, height: frame.height, field }] as const
    }),
  )
  const frames: Job['frames'] = {}
  for (const s of slots) if (s) frames[s[0]] = s[1]
  if (!frames.first) throw invalidRequestBody('A first frame is required: give it as a JPEG or PNG')

  const negative = typeof body.negative_prompt === 'string' && body.negative_prompt.trim() !== '' ? body.negative_prompt : undefined
  return {
    model: model.id,
    prompt: String(body.prompt ?? ''),
    negativePrompt: negative,
    personGeneration: String(pick<string>('person_generation') ?? 'allow_adult'),
    aspectRatio,
    resolution,
    ...outputSize(resolution, aspectRatio),
    durationSeconds: Number(pick<number>('duration_seconds') ?? 8),
    sampleCount: Number(pick<number>('sample_count') ?? 1),
    seed,
    seedDrawn: typeof given !== 'number',
    audio: pick<boolean>('generate_audio') === true,
    frames,
  }
}

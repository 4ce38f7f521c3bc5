import type { FrameRef, StoredRequest } from '../../db/db'
import { sendPlan } from '../../db/requests'
import { describeIssues, findModel, type FrameInput, type FrameSlot, type IntegerField, type ModelSpec } from '../../models'
import { formatBytes } from '../../lib/format'

/** What is known of a frame as sent, once it has been made: its type and its bytes. */
export interface SentFacts {
  mime: 'image/png' | 'image/jpeg'
  bytes: number
}

const typeName = (mime: string) => (mime === 'image/png' ? 'PNG' : 'JPEG')

/**
 * What is sent for a frame, in words: "1280×720 JPEG, 212 KB, cropped from 4000×3000". The type and bytes of a
 * frame that is cropped are known only once it has been made (`sent`); until then they are left out.
 */
export function describeSent(model: ModelSpec, request: StoredRequest, ref: FrameRef, sent?: SentFacts): string {
  if (ref.kind === 'url') return 'sent as its URL (the provider crops it, centred)'
  const plan = sendPlan(ref, model, request.params)
  if (plan.asStored) return `${ref.width}×${ref.height} ${typeName(ref.mime)}, ${formatBytes(ref.bytes)}, as stored`
  const made = sent ? ` ${typeName(sent.mime)}, ${formatBytes(sent.bytes)},` : ','
  return `${plan.width}×${plan.height}${made} ${plan.cropped ? 'cropped' : 'scaled'} from ${ref.width}×${ref.height}`
}

/** Stand-in for frame bytes, so the preview and the checks never read or print megabytes of base64. */
function placeholder(model: ModelSpec, request: StoredRequest, ref: FrameRef, sent?: SentFacts): FrameInput {
  if (ref.kind === 'url') return { kind: 'url', url: ref.url }
  return { kind: 'data', mime: sent?.mime ?? ref.mime, base64: `<base64 ${describeSent(model, request, ref, sent)}, elided>` }
}

/** The body as it will be sent, with base64 elided (and described: size, type, bytes once known). */
export function previewBody(
  model: ModelSpec,
  request: StoredRequest,
  sent: Partial<Record<FrameSlot, SentFacts>> = {},
): Record<string, unknown> {
  const frames: Partial<Record<string, FrameInput>> = {}
  for (const spec of model.frames) {
    const ref = request.frames[spec.slot]
    if (ref) frames[spec.slot] = placeholder(model, request, ref, sent[spec.slot])
  }
  return model.toRequestBody({ params: request.params, frames })
}

/** The seed's range, as it reads everywhere: "0 to 4,294,967,295". */
export const seedRange = (field: IntegerField) => `${field.min.toLocaleString('en')} to ${field.max.toLocaleString('en')}`

/** The seed's problem in words, or undefined when it is empty or fine. */
export function seedProblem(field: IntegerField, value: unknown): string | undefined {
  if (typeof value !== 'number') return undefined
  if (Number.isInteger(value) && value >= field.min && value <= field.max) return undefined
  return `Seed must be a whole number from ${seedRange(field)}.`
}

/** Why Generate cannot run yet, in the designer's words; undefined when the request is ready. */
export function blockingReason(request: StoredRequest): string | undefined {
  const model = findModel(request.modelId)
  if (!model) return 'Choose a model.'
  const missing = model.frames.filter((f) => f.required && !request.frames[f.slot])
  if (missing.length) return `Add a ${missing.map((f) => f.label.toLowerCase()).join(' and a ')}.`
  const prompt = request.params.prompt
  if (typeof prompt !== 'string' || !prompt.trim()) return 'Write a prompt.'
  const seed = model.fields.find((f): f is IntegerField => f.key === 'seed' && f.kind === 'integer')
  const badSeed = seed && seedProblem(seed, request.params.seed)
  if (badSeed) return badSeed
  const checked = model.schema.safeParse(previewBody(model, request))
  return checked.success ? undefined : describeIssues(checked.error)
}

/**
 * A curl command for the request, short enough to read: the body is the file Download request.json saves (the
 * frames in full). The key stays a shell variable: it is never written out.
 */
export function toCurl(model: ModelSpec, baseUrl = 'https://api.jiekou.ai'): string {
  return [
    `curl -X POST '${baseUrl}${model.path}'`,
    `  -H 'Content-Type: application/json'`,
    `  -H "Authorization: Bearer $JIEKOU_API_KEY"`,
    `  --data @request.json`,
  ].join(' \\\n')
}

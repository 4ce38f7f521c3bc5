import type { FrameRef, StoredRequest } from '../../db/db'
import { describeIssues, findModel, type FrameInput, type ModelSpec } from '../../models'
import { formatBytes } from '../../lib/format'

/** Stand-in for frame bytes, so the preview and the checks never read or print megabytes of base64. */
function placeholder(ref: FrameRef): FrameInput {
  if (ref.kind === 'url') return { kind: 'url', url: ref.url }
  const type = ref.mime === 'image/png' ? 'PNG' : 'JPEG'
  return { kind: 'data', mime: ref.mime, base64: `<base64 ${type} ${ref.width}×${ref.height}, ${formatBytes(ref.bytes)}, elided>` }
}

/** The body as it will be sent, with base64 elided. */
export function previewBody(model: ModelSpec, request: StoredRequest): Record<string, unknown> {
  const frames: Partial<Record<string, FrameInput>> = {}
  for (const spec of model.frames) {
    const ref = request.frames[spec.slot]
    if (ref) frames[spec.slot] = placeholder(ref)
  }
  return model.toRequestBody({ params: request.params, frames })
}

/** Why Generate cannot run yet, in the designer's words; undefined when the request is ready. */
export function blockingReason(request: StoredRequest): string | undefined {
  const model = findModel(request.modelId)
  if (!model) return 'Choose a model.'
  const missing = model.frames.filter((f) => f.required && !request.frames[f.slot])
  if (missing.length) return `Add a ${missing.map((f) => f.label.toLowerCase()).join(' and a ')}.`
  const prompt = request.params.prompt
  if (typeof prompt !== 'string' || !prompt.trim()) return 'Write a prompt.'
  const checked = model.schema.safeParse(previewBody(model, request))
  return checked.success ? undefined : describeIssues(checked.error)
}

/** A curl command for the request. The key stays a shell variable: it is never written out. */
export function toCurl(model: ModelSpec, body: Record<string, unknown>, baseUrl = 'https://api.jiekou.ai'): string {
  const json = JSON.stringify(body, null, 2).replace(/'/g, `'\\''`)
  return [
    `curl -X POST '${baseUrl}${model.path}'`,
    `  -H 'Content-Type: application/json'`,
    `  -H "Authorization: Bearer $JIEKOU_API_KEY"`,
    `  -d '${json}'`,
  ].join(' \\\n')
}

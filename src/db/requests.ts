import { describeIssues, type Draft, type FrameInput, type ModelSpec } from '../models'
import { frameBase64 } from './frames'
import type { FrameRef, StoredRequest } from './db'

export type BuiltRequest = { ok: true; body: Record<string, unknown> } | { ok: false; message: string }

async function toFrameInput(ref: FrameRef): Promise<FrameInput> {
  return ref.kind === 'url' ? { kind: 'url', url: ref.url } : { kind: 'data', mime: ref.mime, base64: await frameBase64(ref.hash) }
}

/** The exact body a stored request sends: frames read back from storage, then checked by the model's schema. */
export async function buildRequestBody(model: ModelSpec, request: StoredRequest): Promise<BuiltRequest> {
  const frames: Draft['frames'] = {}
  for (const spec of model.frames) {
    const ref = request.frames[spec.slot]
    if (ref) frames[spec.slot] = await toFrameInput(ref)
  }
  const body = model.toRequestBody({ params: request.params, frames })
  const checked = model.schema.safeParse(body)
  return checked.success ? { ok: true, body } : { ok: false, message: describeIssues(checked.error) }
}

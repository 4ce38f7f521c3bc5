import { aspectValue, describeIssues, outputSize, videoShape, type Draft, type FrameInput, type ModelSpec, type Params } from '../models'
import { chosenCrop } from '../lib/crop'
import { cropFrame } from '../lib/frame-crop'
import type { FrameMime } from '../lib/image'
import { frameBlob } from './frames'
import type { FrameRef, StoredRequest } from './db'

export type BuiltRequest = { ok: true; body: Record<string, unknown> } | { ok: false; message: string }

/** What is sent for a stored frame: its pixels, type and bytes, and the size it was made from. */
export interface SentFrame {
  blob: Blob
  mime: FrameMime
  width: number
  height: number
  /** The stored frame's size when the sent one was cropped or scaled from it; absent: sent as stored. */
  from?: { width: number; height: number } | undefined
}

export type StoredFrame = FrameRef & { kind: 'stored' }

/** The pixels a stored frame is sent at, and the part of it kept: the output size, cropped as chosen. */
export function sendPlan(ref: StoredFrame, model: ModelSpec | undefined, params: Params) {
  const shape = videoShape(model, params)
  const size = outputSize(shape.resolution, shape.aspectRatio)
  const { kept, cropped } = chosenCrop(ref.width, ref.height, aspectValue(shape.aspectRatio), ref.crop)
  // A frame already at the output size is sent as it is: re-encoding it would only lose quality.
  const asStored = ref.width === size.width && ref.height === size.height
  return { ...size, kept, cropped, asStored }
}

/** What makes a frame's sent bytes: the same key, the same bytes. */
export function sentFrameKey(ref: StoredFrame, plan: ReturnType<typeof sendPlan>): string {
  const k = plan.kept
  return `${ref.hash}|${plan.width}x${plan.height}|${[k.x, k.y, k.w, k.h].map((v) => v.toFixed(5)).join(',')}`
}

/* The preview, request.json and Generate all need the same bytes: a few are kept, keyed by what makes them. */
const made = new Map<string, Promise<SentFrame>>()
const MADE_KEPT = 8

/**
 * A stored frame as it will be sent: cropped to the designer's choice (centred when untouched) and scaled to
 * the output size, as JPEG at 0.92 (PNG where it has transparency), so a 4000×3000 frame travels as 1280×720.
 */
export function sentFrame(ref: StoredFrame, model: ModelSpec | undefined, params: Params, crop = cropFrame): Promise<SentFrame> {
  const plan = sendPlan(ref, model, params)
  const key = sentFrameKey(ref, plan)
  const known = made.get(key)
  if (known) return known
  const making = (async (): Promise<SentFrame> => {
    const blob = await frameBlob(ref.hash)
    if (plan.asStored) return { blob, mime: ref.mime, width: ref.width, height: ref.height }
    const out = await crop(blob, plan.kept, plan.width, plan.height, ref.mime)
    return { ...out, width: plan.width, height: plan.height, from: { width: ref.width, height: ref.height } }
  })()
  made.set(key, making)
  // A failure is not kept: the next try makes it again.
  making.catch(() => made.delete(key))
  if (made.size > MADE_KEPT) made.delete(made.keys().next().value!)
  return making
}

/**
 * What a body carries for a stored frame: by default the base64 of its sent bytes (request.json). The gateway's
 * queue names frames by hash instead (submit.ts): one sent as it is stored is then named by its own hash, and its
 * bytes are never read back for it.
 */
export interface FrameEncoding {
  sent(sent: SentFrame, ref: StoredFrame): Promise<string>
  asStored?(ref: StoredFrame): Promise<string>
}

/** The bytes in full, encoded in the frame worker (loaded on demand), never on the page. */
const inBase64: FrameEncoding = {
  async sent(sent) {
    const { frameBase64 } = await import('../lib/frame-probe')
    return frameBase64(sent.blob)
  },
}

async function toFrameInput(
  ref: FrameRef,
  model: ModelSpec,
  params: Params,
  crop: typeof cropFrame,
  encoding: FrameEncoding,
): Promise<FrameInput> {
  if (ref.kind === 'url') return { kind: 'url', url: ref.url }
  if (encoding.asStored && sendPlan(ref, model, params).asStored)
    return { kind: 'data', mime: ref.mime, base64: await encoding.asStored(ref) }
  const sent = await sentFrame(ref, model, params, crop)
  return { kind: 'data', mime: sent.mime, base64: await encoding.sent(sent, ref) }
}

/**
 * The exact body a stored request sends: frames read back from the library, cropped and scaled to the output, then
 * checked by the model's schema. A URL frame is sent as its URL; a stored one as `encoding` gives it (its base64).
 */
export async function buildRequestBody(
  model: ModelSpec,
  request: StoredRequest,
  crop = cropFrame,
  encoding: FrameEncoding = inBase64,
): Promise<BuiltRequest> {
  const frames: Draft['frames'] = {}
  for (const spec of model.frames) {
    const ref = request.frames[spec.slot]
    if (ref) frames[spec.slot] = await toFrameInput(ref, model, request.params, crop, encoding)
  }
  const body = model.toRequestBody({ params: request.params, frames })
  const checked = model.schema.safeParse(body)
  return checked.success ? { ok: true, body } : { ok: false, message: describeIssues(checked.error) }
}

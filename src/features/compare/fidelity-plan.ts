/*
 * What a sample's fidelity is measured against, and how its numbers read. Pure, so the reasons and the wording are
 * tested without a browser.
 */
import type { FrameRef, SampleRecord, StoredRequest } from '../../db/db'
import { sendPlan } from '../../db/requests'
import type { Rect } from '../../lib/crop'
import { findModel } from '../../models'

export type FrameFidelity = { psnr: number; ssim: number; heatUrl: string }

export type SampleFidelity =
  | { state: 'measuring' }
  | { state: 'done'; first?: FrameFidelity; last?: FrameFidelity; ms: number }
  | { state: 'unavailable'; reason: string }
  | { state: 'failed'; message: string }

export type FrameSide = 'first' | 'last'
export type StoredFrame = FrameRef & { kind: 'stored' }

export type FidelityPlan = { kind: 'measure'; first?: StoredFrame; last?: StoredFrame } | { kind: 'unavailable'; reason: string }

const stored = (ref: FrameRef | undefined) => (ref?.kind === 'stored' ? ref : undefined)

/**
 * Which of the sample's frames to measure: each one the request kept in the library. A frame sent as a link was
 * never kept, so there is nothing to hold the video against.
 */
export function fidelityPlan(sample: Pick<SampleRecord, 'request' | 'stored'>): FidelityPlan {
  const { first, last } = sample.request.frames
  if (!first && !last) return { kind: 'unavailable', reason: 'This sample was made without frames.' }
  const plan = { first: stored(first), last: stored(last) }
  if (!plan.first && !plan.last)
    return { kind: 'unavailable', reason: `The ${first ? 'first' : 'last'} frame was a link, not kept in the library.` }
  // The provider's URL is another origin: its pixels cannot be read. The gateway keeps the video as the task ends.
  if (!sample.stored) return { kind: 'unavailable', reason: 'The video is not kept in the library yet.' }
  return { kind: 'measure', ...(plan.first && { first: plan.first }), ...(plan.last && { last: plan.last }) }
}

/** "38.2 dB", "∞ dB" when the pixels are the same. */
export function formatPsnr(db: number): string {
  return Number.isFinite(db) ? `${db.toFixed(1)} dB` : '∞ dB'
}

/** "0.981": three decimals tell a re-encode (0.98) from a different picture (0.6). */
export function formatSsim(value: number): string {
  return value.toFixed(3)
}

/** "First 38.2 dB · SSIM 0.981" */
export function fidelityLine(side: FrameSide, f: FrameFidelity): string {
  return `${side === 'first' ? 'First' : 'Last'} ${formatPsnr(f.psnr)} · SSIM ${formatSsim(f.ssim)}`
}

/** The heat map to draw over the video for its first or last frame, once measured. */
export function fidelityHeatUrl(fidelity: SampleFidelity | undefined, side: FrameSide): string | undefined {
  return fidelity?.state === 'done' ? fidelity[side]?.heatUrl : undefined
}

/**
 * The part of an uploaded frame the model saw, in fractions of the frame: exactly what the studio sent (sendPlan:
 * the designer's crop at the request's aspect, centred when untouched), which the provider then fits whole.
 */
export function sentCrop(frame: StoredFrame, request: Pick<StoredRequest, 'modelId' | 'params'>): Rect {
  return sendPlan(frame, findModel(request.modelId), request.params).kept
}

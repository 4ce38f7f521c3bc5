import { aspectRatio, durationSeconds, generateAudio, resolution, sampleCount } from './fields'
import type { FieldSpec, ModelSpec, ParamKey, ParamValue } from './types'

/*
 * What a request runs with, decided in one place. A stated value wins; an empty one counts as not stated; then
 * the model's default applies; a lock beats everything (the provider ignores what the field says). The body
 * builder, the engine, the compose summary and the gallery all read parameters through here, so no caller
 * repeats a default.
 */

export type Params = Partial<Record<ParamKey, ParamValue>>
export type AspectRatio = '16:9' | '9:16'
export type Resolution = '720p' | '1080p'

/** The value one field takes in a request; undefined when it is not stated and has no default. */
export function effectiveValue(field: FieldSpec, stated: ParamValue): ParamValue {
  if (field.kind === 'boolean' && field.lock) return field.lock.value
  const value = typeof stated === 'string' && field.kind === 'text' ? stated.trim() : stated
  return value === undefined || value === '' ? field.default : value
}

/** Every field of the model with the value it runs with (fields without one are left out). */
export function effectiveParams(model: ModelSpec, params: Params): Params {
  const out: Params = {}
  for (const field of model.fields) {
    const value = effectiveValue(field, params[field.key])
    if (value !== undefined) out[field.key] = value
  }
  return out
}

/** The videos a request asks for. */
export interface VideoShape {
  aspectRatio: AspectRatio
  resolution: Resolution
  durationSeconds: number
  sampleCount: number
  audio: boolean
}

/**
 * The shape of the videos a request makes. `model` may be missing (a stored request from a model the studio no
 * longer lists): then the fields both Veo seeds share decide.
 */
export function videoShape(model: ModelSpec | undefined, params: Params): VideoShape {
  const field = (shared: FieldSpec) => model?.fields.find((f) => f.key === shared.key) ?? shared
  const value = (shared: FieldSpec) => effectiveValue(field(shared), params[shared.key])
  return {
    // The schema admits only the catalogue's options, so these casts name what the values already are.
    aspectRatio: value(aspectRatio) as AspectRatio,
    resolution: value(resolution) as Resolution,
    durationSeconds: Number(value(durationSeconds)),
    sampleCount: Number(value(sampleCount)),
    audio: value(generateAudio) === true,
  }
}

/** Output pixels, per the contract: 720p is 1280×720 (720×1280 in portrait); 1080p is 1920×1080 (1080×1920). */
export function outputSize(res: Resolution, aspect: AspectRatio): { width: number; height: number } {
  const [long, short] = res === '1080p' ? [1920, 1080] : [1280, 720]
  return aspect === '16:9' ? { width: long, height: short } : { width: short, height: long }
}

/** Width over height of an aspect ratio label: "9:16" → 0.5625. */
export function aspectValue(aspect: AspectRatio): number {
  const [w, h] = aspect.split(':').map(Number) as [number, number]
  return w / h
}

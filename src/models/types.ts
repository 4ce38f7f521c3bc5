import type { ZodMiniType } from 'zod/mini'

/** The frames a model can take. Every model takes a first frame; some also take a last one. */
export type FrameSlot = 'first' | 'last'

/** A frame as the form holds it: inline bytes (base64, no data: prefix) or a public URL. */
export type FrameInput = { kind: 'data'; mime: 'image/png' | 'image/jpeg'; base64: string } | { kind: 'url'; url: string }

/** Every parameter key that any model's body may carry, besides the frame fields. */
export type ParamKey =
  | 'prompt'
  | 'negative_prompt'
  | 'aspect_ratio'
  | 'duration_seconds'
  | 'resolution'
  | 'sample_count'
  | 'seed'
  | 'generate_audio'
  | 'enhance_prompt'
  | 'person_generation'

export type ParamValue = string | number | boolean | undefined

interface FieldBase {
  key: ParamKey
  /** The visible label; outside checks find controls by it. */
  label: string
  /** One sentence that explains the field to a designer. */
  help: string
  required: boolean
}

export interface TextField extends FieldBase {
  kind: 'text'
  multiline: boolean
  default?: undefined
}

export interface EnumOption<V extends string | number = string | number> {
  value: V
  label: string
  /** Shown beside the option, e.g. a caveat from the provider's docs. */
  note?: string
}

export interface EnumField extends FieldBase {
  kind: 'enum'
  options: readonly EnumOption[]
  default: string | number
}

export interface IntegerField extends FieldBase {
  kind: 'integer'
  min: number
  max: number
  default?: number
}

export interface BooleanField extends FieldBase {
  kind: 'boolean'
  default?: boolean
  /** A field the provider does not let the user change: shown locked, with the reason. */
  lock?: { value: boolean; reason: string }
}

export type FieldSpec = TextField | EnumField | IntegerField | BooleanField

/** How a frame slot travels in the request body. */
export interface FrameSpec {
  slot: FrameSlot
  label: string
  required: boolean
  /** Body field(s): one field that takes a URL or base64, or separate fields for each. */
  body: { any: string } | { url: string; base64: string }
}

/** The model-independent form state: switching models keeps whatever carries over. */
export interface Draft {
  params: Partial<Record<ParamKey, ParamValue>>
  frames: Partial<Record<FrameSlot, FrameInput>>
}

export type RequestBody = Record<string, string | number | boolean>

export interface ModelSpec {
  /** The provider's model id, which is also the last segment of its submit path. */
  id: string
  /** POST path, relative to the provider base. */
  path: string
  name: string
  shortName: string
  description: string
  frames: readonly FrameSpec[]
  fields: readonly FieldSpec[]
  schema: ZodMiniType<RequestBody>
  /** Builds the exact request body from a draft. Throws nothing: validate the result with `schema`. */
  toRequestBody(draft: Draft): Record<string, unknown>
}

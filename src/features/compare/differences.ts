import type { FrameRef, SampleRecord } from '../../db/db'
import { effectiveValue, findModel, videoShape, type FieldSpec, type ModelSpec, type ParamValue } from '../../models'
import { negativePrompt, personGeneration, prompt } from '../../models/fields'

/** One field of the Differences table: its value in each sample (A–D, in order), and whether they disagree. */
export interface DifferenceRow {
  key: DifferenceKey
  label: string
  /**
   * What each sample ran with, as a designer reads it ("8 s", "720p", "On", "—" for not set). The Frames row
   * holds an identity of the input frames instead (undefined: no frames), which the table shows as thumbnails.
   */
  values: (string | undefined)[]
  differs: boolean
}

export type DifferenceKey =
  | 'model'
  | 'prompt'
  | 'negative_prompt'
  | 'seed'
  | 'duration'
  | 'resolution'
  | 'aspect_ratio'
  | 'audio'
  | 'person_generation'
  | 'frames'

/** What the table shows for a field that was left empty and has no default. */
export const NOT_SET = '—'

type Sample = Pick<SampleRecord, 'request' | 'seed'>

/** One field's reading of a sample: the words shown, and what two samples are compared by (the words, by default). */
interface Reading {
  shown: string | undefined
  same?: string | undefined
}

/*
 * Values are read as the request ran, through the catalogue (src/models/effective.ts): a field left empty and
 * its model's default compare as equal, so "not set" beside "8 s" is no difference when 8 s is the default.
 */
const FIELDS: readonly { key: DifferenceKey; label: string; read(sample: Sample, model: ModelSpec | undefined): Reading }[] = [
  {
    key: 'model',
    label: 'Model',
    // Short names fit a narrow column; the id decides, so two models that share a short name still differ.
    read: ({ request }, model) => ({ shown: model?.shortName ?? request.modelId, same: request.modelId }),
  },
  { key: 'prompt', label: 'Prompt', read: ({ request }, model) => ({ shown: text(model, prompt, request.params.prompt) }) },
  {
    key: 'negative_prompt',
    label: 'Negative prompt',
    read: ({ request }, model) => ({ shown: text(model, negativePrompt, request.params.negative_prompt) }),
  },
  {
    key: 'seed',
    label: 'Seed',
    // The seed the provider used (it draws one when none was asked for), else the one asked for.
    read: ({ request, seed }) => ({ shown: seed ?? stated(request.params.seed) ?? NOT_SET }),
  },
  {
    key: 'duration',
    label: 'Duration',
    read: ({ request }, model) => ({ shown: `${videoShape(model, request.params).durationSeconds} s` }),
  },
  { key: 'resolution', label: 'Resolution', read: ({ request }, model) => ({ shown: videoShape(model, request.params).resolution }) },
  {
    key: 'aspect_ratio',
    label: 'Aspect ratio',
    read: ({ request }, model) => ({ shown: videoShape(model, request.params).aspectRatio }),
  },
  { key: 'audio', label: 'Audio', read: ({ request }, model) => ({ shown: videoShape(model, request.params).audio ? 'On' : 'Off' }) },
  {
    key: 'person_generation',
    label: 'Person generation',
    read: ({ request }, model) => {
      const field = fieldOf(model, personGeneration)
      const value = effectiveValue(field, request.params.person_generation)
      const option = field.kind === 'enum' ? field.options.find((o) => o.value === value) : undefined
      return { shown: option?.label ?? stated(value) ?? NOT_SET }
    },
  },
  {
    key: 'frames',
    label: 'Frames',
    read: ({ request }) => {
      const identity = frameIdentity(request.frames.first, request.frames.last)
      return { shown: identity, same: identity }
    },
  },
]

/** The Differences table's rows, in the order the issue lists them; `differs` when any sample disagrees with A. */
export function differenceRows(samples: readonly Sample[]): DifferenceRow[] {
  const models = samples.map((s) => findModel(s.request.modelId))
  return FIELDS.map(({ key, label, read }) => {
    const readings = samples.map((sample, i) => read(sample, models[i]))
    const compared = readings.map((r) => ('same' in r ? r.same : r.shown))
    return {
      key,
      label,
      values: readings.map((r) => r.shown),
      differs: compared.some((value) => value !== compared[0]),
    }
  })
}

/** The model's own version of a shared field (it may override the default), or the shared one for an unknown model. */
function fieldOf(model: ModelSpec | undefined, shared: FieldSpec): FieldSpec {
  return model?.fields.find((f) => f.key === shared.key) ?? shared
}

/**
 * A text field as it was sent: effectiveValue trims it, as the request body does, so only spaces at the ends are
 * dropped; any other character that differs, spaces inside included, makes the prompts differ.
 */
function text(model: ModelSpec | undefined, shared: FieldSpec, value: ParamValue): string {
  return stated(effectiveValue(fieldOf(model, shared), value)) ?? NOT_SET
}

function stated(value: ParamValue): string | undefined {
  return value === undefined || value === '' ? undefined : String(value)
}

/**
 * Which frames a sample was made from: the stored bytes' hash (or the URL) of each slot, with the crop the designer
 * chose, since the same picture cropped elsewhere is another input. Undefined when the request had no frames.
 */
export function frameIdentity(first: FrameRef | undefined, last: FrameRef | undefined): string | undefined {
  const slots = [
    ['first', first],
    ['last', last],
  ] as const
  const parts = slots.filter(([, ref]) => ref).map(([slot, ref]) => `${slot}=${refIdentity(ref!)}`)
  return parts.length ? parts.join(' ') : undefined
}

function refIdentity(ref: FrameRef): string {
  if (ref.kind === 'url') return ref.url
  const crop = ref.crop ? `@${[ref.crop.x, ref.crop.y, ref.crop.w, ref.crop.h].map((n) => n.toFixed(4)).join(',')}` : ''
  return `${ref.hash}${crop}`
}

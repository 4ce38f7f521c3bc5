import type { BooleanField, EnumField, EnumOption, IntegerField, TextField } from './types'

/*
 * The parameters both Veo seeds document with the same meaning. A model file takes these and overrides
 * what its own seed says differently (a default, a requirement, a lock), so the differences stay visible there.
 */

/** Options whose label is the value itself, or the value with its unit. */
function optionsOf<V extends string | number>(values: readonly V[], label: (value: V) => string = String): EnumOption<V>[] {
  return values.map((value) => ({ value, label: label(value) }))
}

export const prompt: TextField = {
  key: 'prompt',
  kind: 'text',
  label: 'Prompt',
  help: 'What should happen in the video. English works best.',
  required: true,
  multiline: true,
}

export const negativePrompt: TextField = {
  key: 'negative_prompt',
  kind: 'text',
  label: 'Negative prompt',
  help: 'What the video should avoid.',
  required: false,
  multiline: true,
}

export const aspectRatio: EnumField = {
  key: 'aspect_ratio',
  kind: 'enum',
  label: 'Aspect ratio',
  help: 'Landscape or portrait output. Frames of another shape are cropped to it.',
  required: false,
  options: optionsOf(['16:9', '9:16']),
  default: '16:9',
}

export const durationSeconds: EnumField = {
  key: 'duration_seconds',
  kind: 'enum',
  label: 'Duration',
  help: 'Length of each video, in seconds.',
  required: false,
  options: optionsOf([4, 6, 8], (seconds) => `${seconds} s`),
  default: 8,
}

export const resolution: EnumField = {
  key: 'resolution',
  kind: 'enum',
  label: 'Resolution',
  help: '720p is 1280×720 (or 720×1280 in portrait); 1080p is 1920×1080.',
  required: false,
  options: optionsOf(['720p', '1080p']),
  default: '720p',
}

export const sampleCount: IntegerField = {
  key: 'sample_count',
  kind: 'integer',
  label: 'Samples',
  help: 'How many videos to make from this request (1–4).',
  required: false,
  min: 1,
  max: 4,
  default: 1,
}

export const seed: IntegerField = {
  key: 'seed',
  kind: 'integer',
  label: 'Seed',
  help: 'The same seed, prompt and settings give the same video. Leave empty for a random one.',
  required: false,
  min: 0,
  max: 4_294_967_295,
}

export const generateAudio: BooleanField = {
  key: 'generate_audio',
  kind: 'boolean',
  label: 'Generate audio',
  help: 'Add a soundtrack to the video.',
  required: false,
  default: false,
}

export const enhancePrompt: BooleanField = {
  key: 'enhance_prompt',
  kind: 'boolean',
  label: 'Enhance prompt',
  help: 'Let Gemini rewrite the prompt with more detail before generating.',
  required: false,
  default: true,
}

export const personGeneration: EnumField = {
  key: 'person_generation',
  kind: 'enum',
  label: 'Person generation',
  help: 'Whether people or faces may appear.',
  required: false,
  options: [
    { value: 'allow_adult', label: 'Adults only' },
    { value: 'dont_allow', label: 'No people' },
    { value: 'allow_all', label: 'All ages', note: 'Needs an allow-listed account' },
  ],
  default: 'allow_adult',
}

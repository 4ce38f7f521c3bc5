import { defineModel } from './define'
import * as f from './fields'

/** Seed: shared/seeds/000_bf2776c77fab6986.txt ("Veo 3.0 Preview 图生视频"). */
export default defineModel({
  id: 'veo-3.0-generate-preview-img2video',
  name: 'Veo 3.0 Preview · image to video',
  shortName: 'Veo 3.0',
  description: 'One frame and a prompt.',
  frames: [{ slot: 'first', label: 'First frame', required: true, body: { url: 'image_url', base64: 'image_base64' } }],
  fields: [
    f.prompt,
    f.negativePrompt,
    f.aspectRatio,
    f.durationSeconds,
    f.resolution,
    f.sampleCount,
    f.seed,
    // Required by the 3.0 seed, with no default: the body always states it.
    { ...f.generateAudio, required: true, default: undefined },
    f.enhancePrompt,
    f.personGeneration,
  ],
})

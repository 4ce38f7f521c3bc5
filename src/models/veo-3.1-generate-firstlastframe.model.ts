import { defineModel } from './define'
import * as f from './fields'

/** Seed: shared/seeds/001_62debc035c9e521c.txt ("Veo 3.1 首尾帧视频生成"). */
export default defineModel({
  id: 'veo-3.1-generate-firstlastframe',
  name: 'Veo 3.1 · first and last frame',
  shortName: 'Veo 3.1',
  description: 'Two frames and a prompt: the video travels from the first to the last.',
  frames: [
    { slot: 'first', label: 'First frame', required: true, body: { any: 'image' } },
    { slot: 'last', label: 'Last frame', required: true, body: { any: 'last_image' } },
  ],
  fields: [
    f.prompt,
    f.negativePrompt,
    f.aspectRatio,
    f.durationSeconds,
    f.resolution,
    f.sampleCount,
    f.seed,
    f.generateAudio,
    { ...f.enhancePrompt, lock: { value: true, reason: 'Veo 3.x cannot turn prompt enhancement off.' } },
    f.personGeneration,
  ],
})

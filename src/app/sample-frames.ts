import type { StoredRequest } from '../db/db'
import { keepFrame } from '../db/frames'

/** Two frames of our own making (public/samples), so a newcomer sees a video with no key. */
async function load(path: string, label: string) {
  const response = await fetch(path)
  if (!response.ok) throw new Error(`Could not load the sample ${label.toLowerCase()} (${response.status}).`)
  return keepFrame(await response.blob(), label, path.split('/').pop())
}

export async function sampleRequest(): Promise<StoredRequest> {
  const [first, last] = await Promise.all([load('/samples/first-frame.png', 'First frame'), load('/samples/last-frame.png', 'Last frame')])
  return {
    modelId: 'veo-3.1-generate-firstlastframe',
    params: { prompt: 'The sun rises over the hills, slow push in', duration_seconds: 4 },
    frames: { first, last },
  }
}

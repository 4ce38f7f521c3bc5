import type { FrameRef, SampleRecord } from '../src/db/db'

/**
 * A stored sample for tests: the first video of a finished local task, not yet copied into storage. A test states
 * only what it is about.
 */
export function sampleRecord(overrides: Partial<SampleRecord> = {}): SampleRecord {
  const taskRecordId = overrides.taskRecordId ?? 'local:t'
  const index = overrides.index ?? 0
  return {
    id: `${taskRecordId}#${index}`,
    taskRecordId,
    provider: 'local',
    index,
    request: { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'a kite' }, frames: {} },
    seed: '1',
    createdAt: 0,
    videoUrl: '/v.mp4',
    urlExpiresAt: 0,
    stored: false,
    favourite: 0,
    ...overrides,
  }
}

/** A 1280×720 PNG frame kept on the device, as a request refers to it; `overrides` add a crop or change its size. */
export function storedFrame(hash: string, overrides: Partial<FrameRef & { kind: 'stored' }> = {}): FrameRef & { kind: 'stored' } {
  return { kind: 'stored', hash, mime: 'image/png', width: 1280, height: 720, bytes: 10, name: `${hash}.png`, ...overrides }
}

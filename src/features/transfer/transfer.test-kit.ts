import { unzipSync, zipSync, strFromU8, strToU8, type Zippable } from 'fflate'
import { storedFrame } from '../../../testing/sample-record'
import { sha256Hex } from '../../lib/bytes'
import { fakeLibrary, fakeSample, seedSamples, seedTasks, type FakeSample, type FakeTask } from '../../test/fake-library'

/*
 * A small library on the fake gateway for the transfer tests: a frame, two finished tasks (one on an experiment's
 * board, a winner with a note), their samples with kept videos (one with its poster). And helpers to take an export
 * apart and build hostile ones.
 */

/** An MP4's first box ('ftyp', 16 bytes), then `payload`: enough for the import's check. */
export function fakeMp4(payload: string): Uint8Array {
  return new Uint8Array([0, 0, 0, 16, ...strToU8('ftypisom'), 0, 0, 2, 0, ...strToU8(payload)])
}
export const fakeJpeg = (payload: string) => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...strToU8(payload)])
export const fakePng = (payload: string) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...strToU8(payload)])

const blob = (bytes: Uint8Array, type: string) => new Blob([bytes as Uint8Array<ArrayBuffer>], { type })

/** Puts a file in the fake gateway by its hash; returns the hash. */
async function keep(bytes: Uint8Array, type: string): Promise<string> {
  const sha = await sha256Hex(bytes)
  fakeLibrary.files.set(sha, blob(bytes, type))
  return sha
}

export async function seedStudio() {
  const frameBytes = fakePng('first frame')
  const hash = await keep(frameBytes, 'image/png')
  const frame = storedFrame(hash, { bytes: frameBytes.length })
  fakeLibrary.frames.set(hash, { hash, mime: 'image/png', width: 1280, height: 720, bytes: frameBytes.length, name: 'f.png', addedAt: 7 })
  const request = { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'a kite', seed: 11 }, frames: { first: frame } }
  const task = (id: string, extra: Partial<FakeTask> = {}): FakeTask => ({
    id: `local:${id}`,
    provider: 'local',
    taskId: id,
    request,
    createdAt: 100,
    status: 'TASK_STATUS_SUCCEED',
    reason: '',
    finishedAt: 200,
    seed: '11',
    videoCount: 1,
    dismissed: false,
    ...extra,
  })
  fakeLibrary.experiments.set('exp-1', {
    id: 'exp-1',
    name: 'orbit left',
    createdAt: 50,
    base: request,
    rows: ['a kite'],
    columns: [{ seed: 11 }, { seed: 22 }],
    marks: { '0:0': { winner: true, note: 'the one' } },
  })
  seedTasks(task('t1'), task('t2', { experimentId: 'exp-1', cell: { row: 0, col: 0 } }))
  const video1 = await keep(fakeMp4('video one'), 'video/mp4')
  const poster1 = await keep(fakeJpeg('poster one'), 'image/jpeg')
  const video2 = await keep(fakeMp4('video two'), 'video/mp4')
  const sample = (taskRecordId: string, over: Partial<FakeSample>) =>
    fakeSample({ id: `${taskRecordId}#0`, request, seed: '11', stored: true, videoUrl: '/v.mp4', urlExpiresAt: 0, ...over })
  seedSamples(
    sample('local:t1', { createdAt: 300, videoSha256: video1, posterSha256: poster1, favourite: true }),
    sample('local:t2', { createdAt: 301, videoSha256: video2 }),
  )
}

/** Everything the library holds that an export carries, to compare before and after. */
export function snapshot() {
  const sorted = <T extends object>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v)
  return {
    samples: sorted(fakeLibrary.samples),
    // An import keeps its tasks out of the task strip.
    tasks: sorted(fakeLibrary.tasks).map(({ dismissed: _dismissed, ...t }) => t),
    experiments: sorted(fakeLibrary.experiments),
    frames: sorted(fakeLibrary.frames),
    files: [...fakeLibrary.files.keys()].sort(),
  }
}

/** Empties the fake gateway, as a new gateway (another machine, a fresh data folder) would be. */
export function wipe() {
  for (const table of [
    fakeLibrary.samples,
    fakeLibrary.tasks,
    fakeLibrary.experiments,
    fakeLibrary.frames,
    fakeLibrary.files,
    fakeLibrary.prompts,
  ])
    table.clear()
  fakeLibrary.calls.length = 0
}

export const bytesOf = async (b: Blob) => new Uint8Array(await b.arrayBuffer())

/** An export taken apart: its files, and its manifest as an object to change. */
export async function takeApart(zip: Blob): Promise<{ files: Record<string, Uint8Array>; manifest: Record<string, unknown> }> {
  const files = unzipSync(await bytesOf(zip))
  return { files, manifest: JSON.parse(strFromU8(files['manifest.json']!)) as Record<string, unknown> }
}

/** A zip of these files (the manifest, when given, replaces manifest.json). */
export function zipOf(files: Zippable, manifest?: unknown): Blob {
  const all: Zippable = { ...files }
  if (manifest !== undefined) all['manifest.json'] = strToU8(JSON.stringify(manifest))
  return new Blob([zipSync(all) as Uint8Array<ArrayBuffer>], { type: 'application/zip' })
}

/** Rewrites the uncompressed size an entry's headers declare (local and central), to make a header lie. */
export function declareSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice()
  const nameBytes = strToU8(name)
  const view = new DataView(out.buffer)
  for (let i = 0; i < out.length - 4; i++) {
    const sig = view.getUint32(i, true)
    const at = sig === 0x04034b50 ? 30 : sig === 0x02014b50 ? 46 : 0
    if (!at || view.getUint16(i + (sig === 0x04034b50 ? 26 : 28), true) !== nameBytes.length) continue
    if (!nameBytes.every((b, k) => out[i + at + k] === b)) continue
    view.setUint32(i + (sig === 0x04034b50 ? 22 : 24), size, true)
  }
  return out
}

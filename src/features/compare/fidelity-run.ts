/*
 * One sample's fidelity, end to end: the stored frames' bytes, the video's first/last frames (grab-frames), and
 * the worker's numbers. Thin DOM glue around the pure parts (fidelity.ts, fidelity-plan.ts).
 */
import { releaseProxy, transfer, wrap, type Remote } from 'comlink'
import { libraryFileUrl } from '../../api/library-client'
import { storedFrameBlob } from '../../db/compare'
import type { SampleRecord } from '../../db/db'
import { analysisSize } from './fidelity'
import { sentCrop, type FidelityPlan, type FrameFidelity, type FrameSide, type SampleFidelity, type StoredFrame } from './fidelity-plan'
import type { FidelityWorker } from './fidelity.worker'
import { grabFrames } from './grab-frames'

/** Decode, two downscales and an SSIM at 455×256 take a fraction of a second; past this the worker is lost. */
export const WORKER_TIMEOUT_MS = 30_000

let worker: { raw: Worker; api: Remote<FidelityWorker> } | undefined

function fidelityWorker() {
  if (worker) return worker.api
  const raw = new Worker(new URL('./fidelity.worker.ts', import.meta.url), { type: 'module' })
  worker = { raw, api: wrap<FidelityWorker>(raw) }
  return worker.api
}

/** A worker that failed or stopped answering is dropped; the next measurement starts a fresh one. */
function dropWorker() {
  worker?.api[releaseProxy]()
  worker?.raw.terminate()
  worker = undefined
}

async function inWorker<T>(call: (api: Remote<FidelityWorker>) => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('Measuring fidelity took too long. Reopen the comparison to try again.')), WORKER_TIMEOUT_MS)
  })
  try {
    return await Promise.race([call(fidelityWorker()), late])
  } catch (e) {
    dropWorker()
    throw e
  } finally {
    clearTimeout(timer)
  }
}

const SIDE_NAME: Record<FrameSide, string> = { first: 'first', last: 'last' }

/**
 * Measures a sample's kept video against its kept frames. Records performance.measure('fidelity <sample id>')
 * from start to numbers, for the bench. Heat-map URLs are the caller's to revoke.
 */
export async function measureSample(
  sample: Pick<SampleRecord, 'id' | 'request' | 'videoSha256'>,
  plan: FidelityPlan & { kind: 'measure' },
): Promise<SampleFidelity> {
  const sampleId = sample.id
  const start = performance.now()
  const sides = (['first', 'last'] as const).filter((side) => plan[side])
  const blobs = new Map<FrameSide, Blob>()
  for (const side of sides) {
    const blob = await storedFrameBlob(plan[side]!.hash)
    if (!blob) return { state: 'unavailable', reason: `The ${SIDE_NAME[side]} frame is no longer kept in the library.` }
    blobs.set(side, blob)
  }
  if (!sample.videoSha256) return { state: 'unavailable', reason: 'The video is not kept in the library yet.' }
  // Its own hidden video on the library's copy (same origin, so its pixels can be read); the browser has it cached.
  const grabbed = await grabFrames(libraryFileUrl(sample.videoSha256), { first: Boolean(plan.first), last: Boolean(plan.last) })
  // The main thread's share (kept frames fetched, video seeked and its frames taken), apart, for the bench.
  performance.measure(`fidelity grab ${sampleId}`, { start, end: performance.now() })
  const done: { first?: FrameFidelity; last?: FrameFidelity } = {}
  try {
    const size = analysisSize(grabbed.width, grabbed.height)
    for (const side of sides) {
      const frame: StoredFrame = plan[side]!
      const still = grabbed[side]!
      const answer = await inWorker((api) =>
        api.measure(transfer({ frame: blobs.get(side)!, kept: sentCrop(frame, sample.request), video: still, size }, [still])),
      )
      done[side] = { psnr: answer.psnr, ssim: answer.ssim, heatUrl: URL.createObjectURL(answer.heat) }
    }
  } catch (e) {
    for (const f of Object.values(done)) URL.revokeObjectURL(f.heatUrl)
    throw e
  } finally {
    // A transferred bitmap is already detached here; closing it is harmless.
    grabbed.first?.close()
    grabbed.last?.close()
  }
  const name = `fidelity ${sampleId}`
  const measure = performance.measure(name, { start, end: performance.now() })
  return { state: 'done', ...done, ms: measure.duration }
}

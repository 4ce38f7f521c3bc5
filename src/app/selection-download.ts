import { zipSync, strToU8, type Zippable } from 'fflate'
import { videoFetchUrl } from '../api/gateway-urls'
import { storedVideoBlob } from '../db/compare'
import type { SampleRecord } from '../db/db'
import { downloadName } from '../features/gallery/sample-media'
import { slug } from '../lib/format'
import { findModel } from '../models'
import { saveBlob } from '../lib/download'

/*
 * The selection bar's Download, loaded only when pressed (it brings fflate): one zip with each selected sample's
 * video and the request that made it.
 */

/** "veo-studio-3-samples.zip". */
export function archiveName(count: number): string {
  return `${slug(`veo studio ${count} ${count === 1 ? 'sample' : 'samples'}`)}.zip`
}

/**
 * What request.json holds for a sample: the stored request (model, prompt and every parameter, the frames as
 * references, not their bytes) with the seed the provider used. A request never holds a key, and none is added.
 */
export function requestJson(sample: SampleRecord): string {
  const { modelId, params, frames } = sample.request
  const body = {
    model: findModel(modelId)?.name ?? modelId,
    modelId,
    provider: sample.provider,
    seed: sample.seed ?? null,
    createdAt: new Date(sample.createdAt).toISOString(),
    params,
    frames,
  }
  return `${JSON.stringify(body, null, 2)}\n`
}

/**
 * The zip's files: "<name>.mp4" and "<name>.request.json" per sample whose video is at hand, named as the card's
 * Download names it; a name two samples share (same prompt and seed, two tasks) gets "-2". Pure, so it is tested.
 */
export function archiveEntries(samples: readonly SampleRecord[], videos: ReadonlyMap<string, Uint8Array>): Zippable {
  const entries: Zippable = {}
  const used = new Set<string>()
  for (const sample of samples) {
    const video = videos.get(sample.id)
    if (!video) continue
    const base = downloadName(sample).replace(/\.mp4$/, '')
    let name = base
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`
    used.add(name)
    // MP4 is compressed already: stored as is, the zip is made at once.
    entries[`${name}.mp4`] = [video, { level: 0 }]
    entries[`${name}.request.json`] = strToU8(requestJson(sample))
  }
  return entries
}

export interface DownloadResult {
  fileName: string
  /** Samples in the zip. */
  included: number
  /** Samples left out: the library does not hold their video, and its link has expired. */
  skipped: number
}

/**
 * A sample's video for the zip: the library's copy; one not kept there yet comes from the provider's link while it
 * lives (through the gateway's relay, as the card plays it). Undefined when neither answers.
 */
async function videoBytes(sample: SampleRecord, now: number): Promise<Uint8Array | undefined> {
  let blob = sample.videoSha256 ? await storedVideoBlob(sample) : undefined
  if (!blob && sample.urlExpiresAt > now) {
    const url = new URL(videoFetchUrl(sample.provider, sample.videoUrl), globalThis.location.href)
    // A link that no longer answers leaves the sample out, as an expired one does.
    const response = await fetch(url).catch(() => undefined)
    blob = response?.ok ? await response.blob() : undefined
  }
  return blob && new Uint8Array(await blob.arrayBuffer())
}

/** Gathers the videos, zips, saves. */
export async function downloadSelection(samples: readonly SampleRecord[]): Promise<DownloadResult> {
  const now = Date.now()
  const videos = new Map<string, Uint8Array>()
  await Promise.all(
    samples.map(async (s) => {
      const bytes = await videoBytes(s, now)
      if (bytes) videos.set(s.id, bytes)
    }),
  )
  const included = samples.filter((s) => videos.has(s.id))
  const fileName = archiveName(included.length)
  if (included.length > 0) {
    const zip = zipSync(archiveEntries(included, videos))
    saveBlob(new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), fileName)
  }
  return { fileName, included: included.length, skipped: samples.length - included.length }
}

import { zipSync, strToU8, type Zippable } from 'fflate'
import type { SampleRecord } from '../db/db'
import { storedVideos } from '../db/samples'
import { keepVideo } from '../db/videos'
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
  /** Samples left out: their video was never kept on this device and its link has expired. */
  skipped: number
}

/** Gathers the videos (copying in first, as the gallery does, any not stored yet whose link still lives), zips, saves. */
export async function downloadSelection(samples: readonly SampleRecord[]): Promise<DownloadResult> {
  const now = Date.now()
  await Promise.all(samples.filter((s) => !s.stored && s.urlExpiresAt > now).map((s) => keepVideo(s)))
  const blobs = await storedVideos(samples.map((s) => s.id))
  const videos = new Map<string, Uint8Array>()
  await Promise.all([...blobs].map(async ([id, blob]) => videos.set(id, new Uint8Array(await blob.arrayBuffer()))))
  const included = samples.filter((s) => videos.has(s.id))
  const fileName = archiveName(included.length)
  if (included.length > 0) {
    const zip = zipSync(archiveEntries(included, videos))
    saveBlob(new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), fileName)
  }
  return { fileName, included: included.length, skipped: samples.length - included.length }
}

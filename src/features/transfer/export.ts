import { Zip, ZipDeflate, ZipPassThrough, strToU8 } from 'fflate'
import { version } from '../../../package.json'
import { libraryFile } from '../../api/library-client'
import type { ExportScope } from '../../db/transfer'
import { slug } from '../../lib/format'
import { EXPORT_FORMAT, MANIFEST_VERSION, framePath, manifestSchema, posterPath, videoPath, type Manifest } from './manifest'
import { sniffImage, sniffVideo } from './media-check'
import { sha256Hex } from '../../lib/bytes'
import { readExport } from './export-reads'
import { throwIfCancelled } from './problems'

/*
 * Export: one zip with manifest.json, the videos (videos/<sha256>.mp4), their posters and the input frames
 * (frames/<sha256>.png|jpg). Loaded on demand with fflate. Media are stored as they are (level 0: an MP4 is compressed
 * already), streamed into the zip one at a time; only the manifest is deflated. Nothing from the connection or the
 * settings is read here, so no key can travel: the zip holds the library's records and their files, nothing else. The
 * format is the previous version's, so an export from either imports into the other.
 */

export interface ExportOptions {
  /** 0…1, as the media are read into the zip. */
  onProgress?: ((fraction: number) => void) | undefined
  signal?: AbortSignal | undefined
  now?: Date | undefined
}

export interface ExportResult {
  blob: Blob
  fileName: string
  samples: number
  experiments: number
  /** Samples left out: their video is not kept on the gateway yet. */
  skipped: number
}

/** The zip's bytes as they come, gathered into a Blob every 32 MB so the browser can move them out of memory. */
class ZipSink {
  private parts: BlobPart[] = []
  private pending: Uint8Array[] = []
  private pendingBytes = 0
  private failure: Error | undefined
  private readonly zip = new Zip((error, chunk) => {
    if (error) this.failure = error
    else this.collect(chunk)
  })

  private collect(chunk: Uint8Array) {
    this.pending.push(chunk)
    this.pendingBytes += chunk.length
    if (this.pendingBytes >= 32 * 1024 * 1024) this.flush()
  }

  private flush() {
    this.parts = [new Blob([...this.parts, ...(this.pending as Uint8Array<ArrayBuffer>[])])]
    this.pending = []
    this.pendingBytes = 0
  }

  /** A file as is (level 0). */
  store(name: string, bytes: Uint8Array) {
    const file = new ZipPassThrough(name)
    this.zip.add(file)
    file.push(bytes, true)
  }

  deflate(name: string, bytes: Uint8Array) {
    const file = new ZipDeflate(name, { level: 6 })
    this.zip.add(file)
    file.push(bytes, true)
  }

  finish(): Blob {
    this.zip.end()
    if (this.failure) throw this.failure
    this.flush()
    return new Blob(this.parts, { type: 'application/zip' })
  }
}

/** "veo-studio-export-gallery-2025-06-01.zip", "veo-studio-export-3-samples.zip", "veo-studio-export-orbit-left.zip". */
export function exportFileName(
  scope: ExportScope['kind'],
  { count, name, now }: { count: number; name?: string | undefined; now: Date },
): string {
  if (scope === 'gallery') return `veo-studio-export-gallery-${now.toISOString().slice(0, 10)}.zip`
  if (scope === 'experiment') return `veo-studio-export-${slug(name ?? 'experiment')}.zip`
  return `veo-studio-export-${count}-${count === 1 ? 'sample' : 'samples'}.zip`
}

/** Makes the zip of `scope`. Throws an AbortError when cancelled. */
export async function exportArchive(
  scope: ExportScope,
  { onProgress, signal, now = new Date() }: ExportOptions = {},
): Promise<ExportResult> {
  const contents = await readExport(scope, signal)
  throwIfCancelled(signal)
  // The files' sizes are known only once read: the progress counts files, the videos weighing most.
  const total = Math.max(1, contents.samples.length * 10 + contents.frames.length)
  let done = 0
  const advance = (weight: number) => {
    done += weight
    onProgress?.(Math.min(1, done / total))
  }
  const sink = new ZipSink()
  const videos = new Map<string, Manifest['videos'][number]>()
  const samples: object[] = []
  let unreadable = 0

  for (const sample of contents.samples) {
    throwIfCancelled(signal)
    const sha256 = sample.videoSha256!
    if (!videos.has(sha256)) {
      const bytes = new Uint8Array(await (await libraryFile(sha256, { signal })).arrayBuffer())
      const type = sniffVideo(bytes)
      // What the import would refuse is left out here, so one damaged copy never spoils the whole export.
      if (!type) {
        unreadable += 1
        advance(10)
        continue
      }
      sink.store(videoPath(sha256, type), bytes)
      const poster = await addPoster(sink, sample.posterSha256, sha256, signal)
      videos.set(sha256, { sha256, bytes: bytes.length, type, path: videoPath(sha256, type), poster })
    }
    advance(10)
    // Only the fields the schema names travel (it drops the rest: stored, storeError…), the video by its hash, and the
    // favourite mark as the previous version's exports write it.
    samples.push({ ...sample, favourite: sample.favourite ? 1 : 0, video: sha256 })
  }

  const frames: object[] = []
  for (const frame of contents.frames) {
    throwIfCancelled(signal)
    const bytes = new Uint8Array(await (await libraryFile(frame.hash, { signal })).arrayBuffer())
    advance(1)
    const mime = sniffImage(bytes).mime
    if ((mime !== 'image/png' && mime !== 'image/jpeg') || mime !== frame.mime || bytes.length !== frame.bytes) continue
    if ((await sha256Hex(bytes)) !== frame.hash) continue
    const path = framePath(frame.hash, mime)
    sink.store(path, bytes)
    frames.push({ ...frame, path })
  }

  // Parsed by the schema an import uses: what is written is known to be readable, and only the fields it names travel.
  const manifest = manifestSchema.parse({
    format: EXPORT_FORMAT,
    version: MANIFEST_VERSION,
    exportedAt: now.toISOString(),
    app: { name: 'Veo Studio', version },
    scope: scope.kind,
    samples,
    tasks: contents.tasks,
    experiments: contents.experiments,
    frames,
    videos: [...videos.values()],
  })
  // Last in the zip: it can only be written once every hash is known, and the reader finds files by the index anyway.
  sink.deflate('manifest.json', strToU8(`${JSON.stringify(manifest, null, 2)}\n`))
  const blob = sink.finish()
  onProgress?.(1)
  return {
    blob,
    fileName: exportFileName(scope.kind, { count: samples.length, name: contents.experiments[0]?.name, now }),
    samples: samples.length,
    experiments: contents.experiments.length,
    skipped: contents.skipped + unreadable,
  }
}

/** A video's poster, when the gateway keeps one and it is the JPEG it should be: stored beside the video. */
async function addPoster(
  sink: ZipSink,
  posterSha256: string | undefined,
  videoSha256: string,
  signal: AbortSignal | undefined,
): Promise<Manifest['videos'][number]['poster']> {
  if (!posterSha256) return undefined
  const bytes = new Uint8Array(await (await libraryFile(posterSha256, { signal })).arrayBuffer())
  if (sniffImage(bytes).mime !== 'image/jpeg') return undefined
  const path = posterPath(videoSha256)
  sink.store(path, bytes)
  return { path, bytes: bytes.length, sha256: posterSha256 }
}

import type { ExperimentRecord, SampleRecord, TaskRecord } from '../../db/db'
import {
  heldRecords,
  importExperiment,
  importFrame,
  importSample,
  importTask,
  putMissingBlobs,
  sendImport,
  type ImportFrame,
  type IncomingFile,
} from '../../db/transfer'
import { formatBytes } from '../../lib/format'
import { probeFrame } from '../../lib/image'
import { LIMITS, type TransferLimits } from './limits'
import { parseManifest, type Manifest } from './manifest'
import { sniffImage, sniffVideo } from './media-check'
import { sha256Hex } from '../../lib/bytes'
import { notAnExport, refused, throwIfCancelled } from './problems'
import type { ImportCounts } from './words'
import { readEntry, readZipDirectory, type ZipEntry } from './zip-reader'

/*
 * Import: the whole zip is checked before anything is sent (names, sizes counted while unpacking, what each file really
 * is, its hash against the manifest); then its files go to the gateway by their SHA-256 and its records after them
 * (db/transfer). A refusal imports nothing. Exports of the previous version (the browser's own library) and of this
 * one have the same shape.
 */

export interface ImportOptions {
  /** 0…1 while the zip is read and checked. */
  onProgress?: ((fraction: number) => void) | undefined
  signal?: AbortSignal | undefined
  limits?: Partial<TransferLimits> | undefined
  /** Called when the checks are done and the write begins: from here on, Cancel has nothing cheap to stop. */
  onWriting?: (() => void) | undefined
}

/** An archive read and checked whole: the manifest and each named file, by path. */
export interface CheckedArchive {
  manifest: Manifest
  /** Blobs, not byte arrays: the browser may keep a large import's files on disk until the write. */
  files: Map<string, Blob>
}

const MANIFEST = 'manifest.json'
/** Folders some zip tools add as entries of their own: harmless, and empty. */
const FOLDERS = new Set(['videos/', 'posters/', 'frames/'])

/**
 * A name that could leave the folder it is unpacked into, or means something else elsewhere: `../`, an absolute path,
 * a drive letter, a backslash, a control character. Refused before anything else is looked at.
 */
export function unsafeName(name: string): boolean {
  return (
    name.length === 0 ||
    name.length > 255 ||
    name.includes('\\') ||
    name.startsWith('/') ||
    /^[a-z]:/i.test(name) ||
    // oxlint-disable-next-line no-control-regex -- control characters are what this looks for
    /[\u0000-\u001f\u007f]/.test(name) ||
    name.split('/').some((part, i, parts) => part === '..' || part === '.' || (part === '' && i < parts.length - 1))
  )
}

/** Reads and checks a zip as Import does, writing nothing. Throws a TransferProblem naming the first thing wrong. */
export async function readArchive(file: Blob, { onProgress, signal, limits: given }: ImportOptions = {}): Promise<CheckedArchive> {
  const limits = { ...LIMITS, ...given }
  throwIfCancelled(signal)
  const entries = await readZipDirectory(file, limits.entries)
  const unsafe = entries.find((e) => unsafeName(e.name))
  if (unsafe) throw refused(`it holds a file with an unsafe name (${unsafe.name})`, JSON.stringify(unsafe.name))
  const byName = new Map(entries.map((e) => [e.name, e]))
  const manifestEntry = byName.get(MANIFEST)
  if (!manifestEntry)
    throw notAnExport(
      'manifest.json is missing',
      entries
        .slice(0, 5)
        .map((e) => e.name)
        .join('\n') || 'an empty zip',
    )
  const declared = entries.reduce((n, e) => n + e.size, 0)
  if (declared > limits.total)
    throw refused(`it unpacks to ${formatBytes(declared)}, over the ${formatBytes(limits.total)} an import takes (a zip bomb?)`)

  const compressed = Math.max(
    1,
    entries.reduce((n, e) => n + e.compressedSize, 0),
  )
  let readBefore = 0
  let unpacked = 0
  const read = async (entry: ZipEntry, limit: number) => {
    const bytes = await readEntry(file, entry, { limit, signal, onRead: (n) => onProgress?.(Math.min(1, (readBefore + n) / compressed)) })
    readBefore += entry.compressedSize
    // The total, counted on real bytes: a bomb split over many entries stops here.
    unpacked += bytes.length
    if (unpacked > limits.total) throw refused(`it unpacks to more than the ${formatBytes(limits.total)} an import takes (a zip bomb?)`)
    return bytes
  }

  let json: unknown
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await read(manifestEntry, limits.manifest)))
  } catch (e) {
    if (e instanceof Error && e.name === 'TransferProblem') throw e
    throw notAnExport('its manifest.json is not valid JSON', e instanceof Error ? e.message : String(e))
  }
  const manifest = parseManifest(json)

  // Every file is one the manifest names, and every file it names is there.
  const named = new Map<string, { limit: number; check(bytes: Uint8Array): Promise<void> }>()
  const hashOf = async (path: string, bytes: Uint8Array, sha256: string, size: number) => {
    // The file's long hashed name goes under Details: the sentence says what is wrong, in words.
    if (bytes.length !== size)
      throw refused(
        `${kindOf(path)} in it is not the size its manifest says (damaged, or cut short)`,
        `${path}: ${bytes.length} bytes, manifest ${size}`,
      )
    if ((await sha256Hex(bytes)) !== sha256)
      throw refused(
        `${kindOf(path)} in it is damaged or was changed (it does not match its SHA-256)`,
        `${path}\nexpected SHA-256 ${sha256}`,
      )
  }
  for (const v of manifest.videos) {
    named.set(v.path, {
      limit: limits.video,
      check: async (bytes) => {
        const type = sniffVideo(bytes)
        if (type !== v.type)
          throw refused('a "video" in it is not a video', `${v.path}: expected ${v.type}, found ${type ?? 'no video signature'}`)
        await hashOf(v.path, bytes, v.sha256, v.bytes)
      },
    })
    if (v.poster) {
      const poster = v.poster
      named.set(poster.path, {
        limit: limits.poster,
        check: async (bytes) => {
          const image = sniffImage(bytes)
          if (image.mime !== 'image/jpeg')
            throw refused('a poster in it is not the JPEG it claims to be', `${poster.path}: ${image.mime ?? image.kind}`)
          await hashOf(poster.path, bytes, poster.sha256, poster.bytes)
        },
      })
    }
  }
  for (const f of manifest.frames)
    named.set(f.path, {
      limit: limits.frame,
      check: async (bytes) => {
        const image = sniffImage(bytes)
        if (image.mime !== f.mime)
          throw refused(
            `a frame in it is not the ${f.mime === 'image/png' ? 'PNG' : 'JPEG'} image it claims to be`,
            `${f.path}: ${image.mime ?? image.kind}`,
          )
        await hashOf(f.path, bytes, f.hash, f.bytes)
      },
    })
  const stranger = entries.find((e) => e.name !== MANIFEST && !named.has(e.name) && !(FOLDERS.has(e.name) && e.size === 0))
  if (stranger) throw refused(`it holds ${stranger.name}, which its manifest does not name`)
  const absent = [...named.keys()].find((path) => !byName.has(path))
  if (absent) throw refused(`${absent} is missing, though its manifest names it`)

  const files = new Map<string, Blob>()
  for (const [path, { limit, check }] of named) {
    throwIfCancelled(signal)
    const bytes = await read(byName.get(path)!, limit)
    await check(bytes)
    files.set(path, new Blob([bytes as Uint8Array<ArrayBuffer>]))
  }
  onProgress?.(1)
  return { manifest, files }
}

/** The checked file with its type (a Blob of a Blob refers to the same bytes, no copy). */
const blobOf = (file: Blob, type: string) => new Blob([file], { type })

/** Shares of the progress bar: reading and checking the zip, then putting its files on the gateway, then the records. */
const READ_SHARE = 0.4
const FILES_SHARE = 0.55

/**
 * Reads and checks an archive, puts its files on the gateway (those it lacks), then sends its records: what it added
 * and what was already there. Records go last and whole, so a refusal or a Cancel before them imports nothing.
 */
export async function importArchive(file: Blob, options: ImportOptions = {}): Promise<ImportCounts> {
  const { onProgress, signal } = options
  const { manifest, files } = await readArchive(file, { ...options, onProgress: (f) => onProgress?.(f * READ_SHARE) })
  const incoming: IncomingFile[] = []
  const posters = new Map<string, string>()
  for (const v of manifest.videos) {
    incoming.push({ sha256: v.sha256, blob: blobOf(files.get(v.path)!, v.type) })
    if (v.poster) {
      incoming.push({ sha256: v.poster.sha256, blob: blobOf(files.get(v.poster.path)!, 'image/jpeg') })
      posters.set(v.sha256, v.poster.sha256)
    }
  }
  const frames: ImportFrame[] = []
  for (const { path, ...f } of manifest.frames) {
    const blob = blobOf(files.get(path)!, f.mime)
    // The size is the picture's, read from its bytes: the manifest's word for it is not checked by its hash.
    const { width, height } = await probeFrame(blob, path).catch((e: unknown) => {
      throw refused('a frame in it is not a picture this browser can open', `${path}: ${e instanceof Error ? e.message : String(e)}`)
    })
    incoming.push({ sha256: f.hash, blob })
    frames.push(importFrame({ ...f, width, height }))
  }
  // Its link is the other studio's (its gateway, its relay): it can never be fetched here, so it is ended now, and the
  // copy imported is the only one.
  const samples = manifest.samples.map(({ video, ...s }) =>
    importSample(
      { ...s, urlExpiresAt: Math.min(s.urlExpiresAt, Date.now()), request: s.request as SampleRecord['request'] },
      { videoSha256: video, posterSha256: posters.get(video) },
    ),
  )
  // Imported tasks stay out of the task strip: an import is not work in progress.
  const tasks = manifest.tasks.map((t) => importTask({ ...(t as TaskRecord), dismissed: true }))
  const experiments = manifest.experiments.map((e) => importExperiment(e as ExperimentRecord))
  throwIfCancelled(signal)

  const held = await heldRecords({ samples: samples.map((s) => s.id), experiments: experiments.map((e) => e.id) }, { signal })
  const bytes = Math.max(
    1,
    incoming.reduce((n, f) => n + f.blob.size, 0),
  )
  let put = 0
  await putMissingBlobs(incoming, {
    signal,
    onBytes: (n) => onProgress?.(READ_SHARE + FILES_SHARE * Math.min(1, (put += n) / bytes)),
  })
  throwIfCancelled(signal)
  options.onWriting?.()
  await sendImport({ frames, experiments, tasks, samples })
  onProgress?.(1)
  const counts = (ids: readonly string[], present: Set<string>) => {
    const here = ids.filter((id) => present.has(id)).length
    return { added: ids.length - here, present: here }
  }
  return {
    samples: counts(
      samples.map((s) => s.id),
      held.samples,
    ),
    experiments: counts(
      experiments.map((e) => e.id),
      held.experiments,
    ),
  }
}

/** "a video", "a frame", "a poster": what a path in the archive holds, for the words. */
const kindOf = (path: string) =>
  path.startsWith('videos/') ? 'a video' : path.startsWith('frames/') ? 'a frame' : path.startsWith('posters/') ? 'a poster' : 'a file'

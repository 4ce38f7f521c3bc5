import { Inflate } from 'fflate'
import { formatBytes } from '../../lib/format'
import { notAnExport, refused, throwIfCancelled } from './problems'

/*
 * A zip read from its central directory (the index at its end), never from the whole file in memory: a big export
 * is read entry by entry, in slices. Only what Export writes is accepted: stored or deflated entries, no encryption,
 * no zip64, no name twice. Sizes are counted on the bytes actually unpacked, so a header that lies changes nothing.
 */

export interface ZipEntry {
  name: string
  /** 0 stored, 8 deflated. */
  method: number
  compressedSize: number
  /** As the central directory declares it: checked against the bytes unpacked. */
  size: number
  /** Where its local header starts. */
  offset: number
}

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
/** A local file header, "PK\\x03\\x04": how every zip starts. */
const LOCAL = 0x04034b50
const ZIP64 = 0xffffffff
const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8)
const u32 = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0
const utf8 = new TextDecoder()

async function slice(blob: Blob, from: number, to: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(from, to).arrayBuffer())
}

/** The entries of a zip, as its central directory lists them; refuses what is not a zip, or not one Export makes. */
export async function readZipDirectory(blob: Blob, maxEntries: number): Promise<ZipEntry[]> {
  if (blob.size < 22) throw notAnExport('it is not a zip file', `${blob.size} bytes`)
  // The end record is in the last 22 bytes, or before a comment of up to 64 KB.
  const tailStart = Math.max(0, blob.size - 22 - 0xffff)
  const tail = await slice(blob, tailStart, blob.size)
  let at = -1
  for (let i = tail.length - 22; i >= 0; i--)
    if (u32(tail, i) === EOCD && i + 22 + u16(tail, i + 20) === tail.length) {
      at = i
      break
    }
  if (at < 0) {
    // A zip's first bytes with no end: a download cut short, not another kind of file.
    const head = await slice(blob, 0, 4)
    if (u32(head, 0) === LOCAL)
      throw refused('it is incomplete or damaged (perhaps its download was cut short)', 'no end of central directory record')
    throw notAnExport('it is not a zip file', 'no end of central directory record')
  }
  const entries = u16(tail, at + 10)
  const dirSize = u32(tail, at + 12)
  const dirOffset = u32(tail, at + 16)
  if (u16(tail, at + 4) !== 0 || u16(tail, at + 6) !== 0 || u16(tail, at + 8) !== entries)
    throw refused('it is a zip split over several files', 'multi-disk zip')
  if (entries === 0xffff || dirOffset === ZIP64 || dirSize === ZIP64)
    throw refused('it is a zip64 archive, which Export never makes', 'zip64')
  if (entries > maxEntries) throw refused(`it holds ${entries} files, more than the ${maxEntries} an import takes`)
  if (dirOffset + dirSize > tailStart + at)
    throw refused('its zip index points outside the file', `central directory at ${dirOffset}+${dirSize}`)

  const dir = await slice(blob, dirOffset, dirOffset + dirSize)
  const found: ZipEntry[] = []
  const names = new Set<string>()
  let p = 0
  for (let n = 0; n < entries; n++) {
    if (p + 46 > dir.length || u32(dir, p) !== CENTRAL) throw refused('its zip index is damaged', `entry ${n} at ${dirOffset + p}`)
    const flags = u16(dir, p + 8)
    const method = u16(dir, p + 10)
    const compressedSize = u32(dir, p + 20)
    const size = u32(dir, p + 24)
    const nameLength = u16(dir, p + 28)
    const offset = u32(dir, p + 42)
    const next = p + 46 + nameLength + u16(dir, p + 30) + u16(dir, p + 32)
    if (next > dir.length) throw refused('its zip index is damaged', `entry ${n} runs past the index`)
    const name = utf8.decode(dir.subarray(p + 46, p + 46 + nameLength))
    if (flags & 1) throw refused(`${name} is encrypted`, `general purpose flags ${flags}`)
    if (method !== 0 && method !== 8) throw refused(`${name} is packed in a way Export never uses`, `compression method ${method}`)
    if (compressedSize === ZIP64 || size === ZIP64 || offset === ZIP64) throw refused(`${name} is a zip64 entry, which Export never makes`)
    if (names.has(name)) throw refused(`it holds ${name} twice`)
    names.add(name)
    found.push({ name, method, compressedSize, size, offset })
    p = next
  }
  return found
}

export interface ReadEntryOptions {
  /** The most this entry may unpack to. */
  limit: number
  /** Called with compressed bytes read so far, for a progress bar. */
  onRead?: ((bytes: number) => void) | undefined
  signal?: AbortSignal | undefined
}

/** Slices of 1 MB are read; a deflated slice is fed in 16 KB bites, so one bite can never unpack to more than ~16 MB. */
const READ = 1024 * 1024
const BITE = 16 * 1024

/**
 * An entry's bytes, unpacked: refused when its declared or its real size passes `limit`, or differs from what the
 * index declares, or when its local header names another file.
 */
export async function readEntry(blob: Blob, entry: ZipEntry, { limit, onRead, signal }: ReadEntryOptions): Promise<Uint8Array> {
  const tooBig = (size: string) =>
    refused(`${entry.name} unpacks to ${size}, over the ${formatBytes(limit)} a file may have (a zip bomb?)`, `limit ${limit} bytes`)
  if (entry.size > limit) throw tooBig(formatBytes(entry.size))
  const head = await slice(blob, entry.offset, entry.offset + 30)
  if (head.length < 30 || u32(head, 0) !== LOCAL) throw refused(`${entry.name} is damaged`, `no local header at ${entry.offset}`)
  const nameLength = u16(head, 26)
  const localName = utf8.decode(await slice(blob, entry.offset + 30, entry.offset + 30 + nameLength))
  if (localName !== entry.name) throw refused(`${entry.name} is named ${localName} inside the zip`, 'local and central names differ')
  const start = entry.offset + 30 + nameLength + u16(head, 28)
  const end = start + entry.compressedSize
  if (end > blob.size) throw refused(`${entry.name} runs past the end of the file`, `${end} > ${blob.size}`)
  if (entry.method === 0 && entry.compressedSize !== entry.size) throw refused(`${entry.name} is damaged`, 'stored entry sizes differ')

  const chunks: Uint8Array[] = []
  let unpacked = 0
  const take = (chunk: Uint8Array) => {
    unpacked += chunk.length
    // Counted as they come: a lying header is caught at the first byte over, not after the bomb has gone off.
    if (unpacked > limit) throw tooBig(`more than ${formatBytes(limit)}`)
    if (unpacked > entry.size) throw refused(`${entry.name} unpacks to more than its zip header says`, `declared ${entry.size} bytes`)
    chunks.push(chunk)
  }
  const inflate = entry.method === 8 ? new Inflate((chunk) => take(chunk)) : undefined
  let at = start
  do {
    throwIfCancelled(signal)
    const to = Math.min(end, at + READ)
    const piece = await slice(blob, at, to)
    try {
      if (!inflate) take(piece)
      else if (piece.length === 0) inflate.push(piece, true)
      else for (let b = 0; b < piece.length; b += BITE) inflate.push(piece.subarray(b, b + BITE), to === end && b + BITE >= piece.length)
    } catch (e) {
      if (e instanceof Error && e.name === 'TransferProblem') throw e
      throw refused(`${entry.name} could not be unpacked: the zip is damaged`, e instanceof Error ? e.message : String(e))
    }
    onRead?.(to - start)
    at = to
  } while (at < end)
  if (unpacked !== entry.size) throw refused(`${entry.name} unpacks to less than its zip header says`, `${unpacked} of ${entry.size} bytes`)
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(unpacked)
  let o = 0
  for (const c of chunks) {
    out.set(c, o)
    o += c.length
  }
  return out
}

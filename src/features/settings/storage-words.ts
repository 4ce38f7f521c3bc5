import type { LibraryStorage } from '../../api/library-queries'
import { formatBytes, plural } from '../../lib/format'

/*
 * Settings › Storage in words: where the gateway keeps the library, how much it takes and what takes it, and what is
 * left on the gateway's disk. A full disk pauses the archiving (server/library/runner/archive.ts), which goes on by
 * itself once there is space: the words say so, with the way out.
 */

export interface StorageWords {
  /** "The library takes 1.3 GB. The gateway's disk has 200.0 GB free of 500.0 GB." */
  usage: string
  /** The disk's share in use, 0–100, for the meter. */
  percent: number
  /** What takes the space, one line each. */
  parts: { label: string; value: string }[]
  /** Said when little is left, with the way out. */
  warning?: string | undefined
  /** Said while archiving is paused for a full disk. */
  paused?: string | undefined
}

/** Past this share of the disk the studio warns: a few sweeps of 1080p videos could fill what is left. */
const WARN_AT = 0.9

const GB = 1024 ** 3
export const size = (bytes: number) =>
  bytes >= 1024 * GB ? `${(bytes / 1024 / GB).toFixed(1)} TB` : bytes >= GB ? `${(bytes / GB).toFixed(1)} GB` : formatBytes(bytes)

/** The words of a paused archive: what it means, the way out, and that it goes on by itself. */
export const DISK_FULL_WORDS =
  "The gateway's disk is full: archiving is paused, and new videos wait to be kept. Free space on the gateway's disk: " +
  'delete files you no longer need there, or move its data folder to a larger disk. Archiving goes on by itself once there is room.'

/** How the data folder moves to a larger disk: for whoever runs the gateway, under Details. */
export const MOVE_FOLDER_DETAILS =
  'Stop the gateway, move the data folder, then start the gateway with STUDIO_DATA_DIR set to its new place.'

/** Whether the gateway says its archiving is paused for a full disk. */
export const diskFull = (s: Pick<LibraryStorage, 'paused'> | undefined) => s?.paused?.reason === 'disk-full'

const line = (count: number, bytes: number, one: string) => `${plural(count, one)} · ${size(bytes)}`

export function storageWords(s: LibraryStorage): StorageWords {
  const { videos, posters, frames } = s.files
  const library = s.database.bytes + videos.bytes + posters.bytes + frames.bytes
  const { freeBytes, totalBytes } = s.disk
  const used = totalBytes > 0 ? Math.min(1, Math.max(0, (totalBytes - freeBytes) / totalBytes)) : 0
  const percent = Math.round(used * 100)
  return {
    usage: `The library takes ${size(library)}. The gateway's disk has ${size(freeBytes)} free of ${size(totalBytes)}.`,
    percent,
    parts: [
      { label: s.engine === 'pglite' ? 'Database' : 'Database (PostgreSQL)', value: size(s.database.bytes) },
      { label: 'Videos', value: line(videos.count, videos.bytes, 'video') },
      { label: 'Posters', value: line(posters.count, posters.bytes, 'poster') },
      { label: 'Frames', value: line(frames.count, frames.bytes, 'frame') },
    ],
    warning:
      !diskFull(s) && used >= WARN_AT
        ? `The gateway's disk is ${percent} % full. When it fills up, archiving pauses until there is room: free space on it before then.`
        : undefined,
    paused: diskFull(s) ? DISK_FULL_WORDS : undefined,
  }
}

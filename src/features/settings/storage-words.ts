import { formatBytes } from '../../lib/format'

/** What the browser says of this site's storage (navigator.storage.estimate and .persisted). */
export interface StorageState {
  usage: number
  quota: number
  persisted: boolean
}

export interface StorageWords {
  /** "Using 1.2 GB of 10.0 GB (12 %)". */
  usage: string
  /** The share used, 0–100, for the meter. */
  percent: number
  /** Whether the browser may clear it, in plain words. */
  persistence: string
  /** Said when little is left, with the way out. */
  warning?: string | undefined
}

/** Past this share the studio warns: one more sweep of 1080p videos could fill what is left. */
export const WARN_AT = 0.8

const size = (bytes: number) => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : formatBytes(bytes))

/** The storage line of Settings, from what the browser reports. */
export function storageWords({ usage, quota, persisted }: StorageState): StorageWords {
  const share = quota > 0 ? Math.min(1, usage / quota) : 0
  const percent = Math.round(share * 100)
  return {
    usage: `Using ${size(usage)} of ${size(quota)} (${percent} %)`,
    percent,
    persistence: persisted
      ? 'Kept: the browser will not clear the studio’s videos to free disk space.'
      : 'Best effort: when the disk runs low, the browser may clear the studio’s videos. Keep them to prevent that.',
    warning:
      share >= WARN_AT
        ? `Storage is ${percent} % full. Free space by deleting samples you no longer need, or download them first.`
        : undefined,
  }
}

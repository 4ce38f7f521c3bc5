/*
 * How the gateway writes amounts in the messages people read, in one place, so that a limit reads the same in
 * every message that names it.
 */

const BYTES_PER_MB = 1024 * 1024

/** Milliseconds as seconds, to one decimal: 1500 → "1.5 s", 1000 → "1 s". */
export const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`

/**
 * Bytes as MB (of 1024 × 1024), to one decimal: "53.6 MB", "20 MB". With `fixed` the decimal always shows
 * ("20.0 MB"), for a measured size, so that one just over a round limit does not read as the limit itself.
 */
export function megabytes(bytes: number, { fixed = false }: { fixed?: boolean } = {}): string {
  const mb = bytes / BYTES_PER_MB
  return `${fixed ? mb.toFixed(1) : Math.round(mb * 10) / 10} MB`
}

/** A measured size against its limit: "20.0 MB, over the 20 MB limit". */
export const sizeOverLimit = (bytes: number, limitBytes: number): string =>
  `${megabytes(bytes, { fixed: true })}, over the ${megabytes(limitBytes)} limit`

/** 75 → "1:15"; used for ETA and elapsed time. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const m = Math.floor(s / 60)
  return `${m}:${String(s % 60).padStart(2, '0')}`
}

/** How long a wait has left, as designers read it: "40 s" under a minute, then "3:55". */
export const formatWait = (seconds: number) => (seconds < 60 ? `${Math.max(0, Math.round(seconds))} s` : formatClock(seconds))

/** At most `max` characters, the last an ellipsis when it had to cut: "a very long prom…". */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text
}

/** A filename-safe slug of a prompt: "Slow zoom, in!" → "slow-zoom-in". */
export function slug(text: string, max = 48): string {
  const s = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '')
  return s || 'video'
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** 1536 → "2 KB", 5_400_000 → "5.1 MB": sizes of frames and videos. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

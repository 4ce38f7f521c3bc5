/*
 * A comparison's address: /compare?samples=<id>,<id>,… in the order of their letters (A first), so a reload or a
 * shared link opens the same comparison. Sample ids hold ':' and '#', so each is encoded; the commas between them are
 * not, so the address stays readable.
 */
export const COMPARE_PATH = '/compare'

/** A comparison holds two to four samples: fewer is nothing to compare, more would be too small to judge. */
export const COMPARE_MIN = 2
export const COMPARE_MAX = 4

export const comparePath = (sampleIds: readonly string[]) =>
  `${COMPARE_PATH}?samples=${sampleIds.map((id) => encodeURIComponent(id)).join(',')}`

/** The sample ids of a comparison's query string (with or without its '?'): at most four, no repeats, none empty. */
export function compareIds(search: string): string[] {
  // Split before decoding: an id may hold an encoded comma (URLSearchParams would decode it first).
  const list =
    search
      .replace(/^\?/, '')
      .split('&')
      .find((part) => part.startsWith('samples='))
      ?.slice('samples='.length) ?? ''
  const ids = list
    .split(',')
    .map((part) => {
      try {
        return decodeURIComponent(part).trim()
      } catch {
        return ''
      }
    })
    .filter(Boolean)
  return [...new Set(ids)].slice(0, COMPARE_MAX)
}

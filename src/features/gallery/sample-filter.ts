import type { ProviderId } from '../../api/gateway-urls'
import type { StoredRequest } from '../../db/db'

export interface GalleryFilters {
  modelId: string | 'all'
  provider: ProviderId | 'all'
  favouritesOnly: boolean
  search: string
}

/** What a filter looks at: a sample, or a running task standing in for the samples it will make. */
export interface Filterable {
  request: StoredRequest
  provider: ProviderId
  seed: string | undefined
  favourite: 0 | 1
}

/**
 * The search field: words of the prompt, or a seed, typed as "123" or "seed 123" (as the chips say it). A seed
 * matches whole, so "12" does not find seed 123.
 */
export function matchesSearch(item: Pick<Filterable, 'request' | 'seed'>, text: string): boolean {
  const needle = text.trim().toLowerCase()
  if (!needle) return true
  if (
    String(item.request.params.prompt ?? '')
      .toLowerCase()
      .includes(needle)
  )
    return true
  const seed = /^(?:seed\s*[:#]?\s*)?(\d+)$/.exec(needle)?.[1]
  return seed !== undefined && item.seed === seed
}

export function matchesFilters(item: Filterable, f: GalleryFilters): boolean {
  return (
    (f.modelId === 'all' || item.request.modelId === f.modelId) &&
    (f.provider === 'all' || item.provider === f.provider) &&
    (!f.favouritesOnly || item.favourite === 1) &&
    matchesSearch(item, f.search)
  )
}

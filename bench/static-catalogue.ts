import { sortModels } from '../src/models/sort.ts'
import type { ModelSpec } from '../src/models/types.ts'

/**
 * The model catalogue as server/catalogue.ts loads it, but by name rather than by listing src/models: a bundler (the
 * bench's esbuild prototype of a prebuilt gateway) follows these imports, where it cannot follow a folder read at run
 * time. Two models today; a third model file means a line here.
 */
export async function staticCatalogue(): Promise<readonly ModelSpec[]> {
  const loaded = await Promise.all([
    import('../src/models/veo-3.0-generate-preview-img2video.model.ts'),
    import('../src/models/veo-3.1-generate-firstlastframe.model.ts'),
  ])
  return sortModels(loaded.map((m) => m.default))
}

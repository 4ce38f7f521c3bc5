import type { ModelSpec } from './types'

/** The catalogue's order: by model id, which puts older models first. */
export function sortModels(list: readonly ModelSpec[]): ModelSpec[] {
  return [...list].sort((a, b) => a.id.localeCompare(b.id))
}

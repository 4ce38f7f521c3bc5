import { sortModels } from './sort'
import type { ModelSpec } from './types'

export * from './types'
export { describeIssues, isHttpUrl } from './define'
export * from './effective'

/*
 * The catalogue: every `*.model.ts` file beside this one. Adding a model is adding one such file.
 * Vite (the app, the unit and server tests) expands this glob at build time; the gateway, which runs under
 * tsx, loads the same files through server/catalogue.ts.
 */
const modules = import.meta.glob<ModelSpec>('./*.model.ts', { eager: true, import: 'default' })

export const models: readonly ModelSpec[] = sortModels(Object.values(modules))

export function findModel(id: string): ModelSpec | undefined {
  return models.find((m) => m.id === id)
}

import { readdir } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { sortModels } from '../src/models/sort.ts'
import type { ModelSpec } from '../src/models/types.ts'

/*
 * The same catalogue the app gets from src/models/index.ts (an import.meta.glob that only Vite expands):
 * every `*.model.ts` file in src/models, loaded once at start.
 */
const modelsDir = fileURLToPath(new URL('../src/models/', import.meta.url))

export async function loadCatalogue(): Promise<readonly ModelSpec[]> {
  const files = (await readdir(modelsDir)).filter((f) => f.endsWith('.model.ts'))
  const loaded = await Promise.all(
    files.map(async (f) => ((await import(pathToFileURL(modelsDir + f).href)) as { default: ModelSpec }).default),
  )
  return sortModels(loaded)
}

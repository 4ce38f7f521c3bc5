import { join } from 'node:path'
import { startServer } from '../server/app.ts'
import { ensureBuilt } from '../server/build.ts'
import { loadCatalogue } from '../server/catalogue.ts'
import { readConfig } from '../server/config.ts'
import { createLogger } from '../server/logger.ts'

export const root = new URL('..', import.meta.url).pathname

/**
 * A quiet gateway on a free port for the bench and the screenshots: the local engine configured by `env` (as the
 * environment would), serving the built studio when `studio` is set (built first when stale).
 */
export async function startBenchGateway(env: Record<string, string>, { studio = true } = {}) {
  if (studio) await ensureBuilt(root)
  const config = readConfig(env)
  const server = await startServer({
    config,
    models: await loadCatalogue(),
    logger: createLogger(() => {}),
    port: 0,
    ...(studio ? { distDir: join(root, 'dist') } : {}),
  })
  return { config, server }
}

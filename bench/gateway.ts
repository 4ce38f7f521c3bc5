import { join } from 'node:path'
import { startServer } from '../server/app.ts'
import { ensureBuilt } from '../server/build.ts'
import { loadCatalogue } from '../server/catalogue.ts'
import { readConfig } from '../server/config.ts'
import { createLogger, type Logger } from '../server/logger.ts'

export const root = new URL('..', import.meta.url).pathname

/**
 * A quiet gateway on a free port for the bench and the screenshots: the local engine configured by `env` (as the
 * environment would), serving the built studio when `studio` is set (built first when stale). A part that times
 * the engine's own events (its done log) passes a `logger`.
 */
export async function startBenchGateway(
  env: Record<string, string>,
  { studio = true, logger = createLogger(() => {}) }: { studio?: boolean; logger?: Logger } = {},
) {
  if (studio) await ensureBuilt(root)
  const config = readConfig(env)
  const server = await startServer({
    config,
    models: await loadCatalogue(),
    logger,
    port: 0,
    ...(studio ? { distDir: join(root, 'dist') } : {}),
  })
  return { config, server }
}

import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readConfig } from './config.ts'
import { createLogger } from './logger.ts'
import { loadCatalogue } from './catalogue.ts'
import { ensureBuilt } from './build.ts'
import { findTools } from './engine/ffmpeg.ts'
import { startServer, type RunningServer } from './app.ts'
import { closingToo, stopOnSignals } from './shutdown.ts'
import { lanRefusal } from './lan-guard.ts'
import { openLibrary, type Library } from './library/library.ts'

/* `npm start`: build the studio if needed, then serve it and the API on one port. */

const root = fileURLToPath(new URL('..', import.meta.url))
const config = readConfig(process.env)
// The keys are scrubbed from every log line, whatever a future log call passes in: the server's, and any the library
// holds (read back from the data folder, or entered in Settings later).
const secrets: (string | undefined)[] = [config.jiekouApiKey]
const logger = createLogger(undefined, secrets)

/** A URL the user can open: localhost for loopback and "every interface" binds, the host itself otherwise. */
const browsable = (host: string, port: number) =>
  ['127.0.0.1', '::1', 'localhost', '0.0.0.0', '::', ''].includes(host)
    ? `http://localhost:${port}`
    : `http://${host.includes(':') ? `[${host}]` : host}:${port}`

async function main(): Promise<void> {
  const refusal = lanRefusal(config.host, config.allowLan)
  if (refusal) throw new Error(refusal)
  if (config.allowLan && config.host !== '127.0.0.1')
    console.warn(
      `STUDIO_ALLOW_LAN is set: anyone who can reach ${config.host}:${config.port} can read the library and spend the provider key.`,
    )
  // The database opens (about a second; ten on the first start) while the catalogue loads and the build is checked.
  const opening = openLibrary(config.library, logger, { onKey: (key) => secrets.push(key) })
  opening.catch(() => undefined) // awaited below; this only keeps a refusal from being reported twice
  const models = await loadCatalogue()
  await ensureBuilt(root)
  try {
    const tools = await findTools()
    console.log(`ffmpeg: ${tools.ffmpeg} (from ${tools.source})`)
  } catch (err) {
    // The jiekou.ai side works without ffmpeg; only local renders need it, so say so and keep going.
    console.warn(`ffmpeg: ${(err as Error).message} The local engine cannot render until this is fixed.`)
  }

  const library: Library = await opening
  console.log(
    `Library: ${library.store.engine === 'pglite' ? `embedded database in ${config.library.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
  )
  let server: RunningServer
  try {
    server = await startServer({ config, models, logger, library, distDir: join(root, 'dist'), port: config.port, host: config.host })
  } catch (err) {
    await library.close()
    const code = (err as { code?: string }).code
    if (code === 'EADDRINUSE')
      throw new Error(`Port ${config.port} is already in use: stop the other server or start with PORT=<another port>.`, { cause: err })
    throw err
  }
  // SIGTERM (a deploy, systemd, Docker) or Ctrl+C: stop taking work, let renders in flight end, lose no task. The
  // library closes last: the database is checkpointed and the data folder's lock released. Before the first line
  // that says the gateway runs, so a signal sent on reading it is never missed.
  stopOnSignals(closingToo(server, library.close), config.shutdownGraceMs, logger)
  console.log(`Veo Studio is running at ${browsable(config.host, server.port)}`)
  console.log(config.jiekouApiKey ? 'jiekou.ai: server holds the key' : 'jiekou.ai: no server key; the browser may send one')
  if (config.engine.allowPrivateUrls)
    console.warn('local engine: LOCAL_ENGINE_ALLOW_PRIVATE_URLS is set, so frame URLs may reach loopback and private addresses')
}

main().catch((err: unknown) => {
  console.error((err as Error).message)
  process.exit(1)
})

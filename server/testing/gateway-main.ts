// The gateway as `npm start` runs it (signals included, shutdown.ts), minus the SPA build, for tests that spawn it as
// a child process and stop it with a real SIGTERM. TEST_RENDER_GATE names a file: each render waits until it exists,
// so a test can hold a render in flight for as long as it needs (an abort still stops the wait).
import { access } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { startServer } from '../app.ts'
import { loadCatalogue } from '../catalogue.ts'
import { readConfig } from '../config.ts'
import { renderSample } from '../engine/render.ts'
import type { RenderFn } from '../engine/task-store.ts'
import { createLogger } from '../logger.ts'
import { closingToo, stopOnSignals } from '../shutdown.ts'
import { openLibrary } from '../library/library.ts'
import { lanRefusal } from '../lan-guard.ts'

const config = readConfig(process.env)
// The keys are scrubbed from every log line, whatever a future log call passes in: the server's, and any the library
// holds (read back from the data folder, or entered in Settings later).
const secrets: (string | undefined)[] = [config.jiekouApiKey]
const logger = createLogger(undefined, secrets)
const gate = process.env.TEST_RENDER_GATE

const open = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  )

const gated: RenderFn = async (req) => {
  if (gate) while (!(await open(gate))) await sleep(25, undefined, { signal: req.signal })
  return renderSample(req)
}

// The library only where a test names its place (never the designer's own folder).
const wantsLibrary = Boolean(process.env.STUDIO_DATA_DIR || process.env.DATABASE_URL)
let library
let catalogue: Awaited<ReturnType<typeof loadCatalogue>> = []
try {
  const refusal = lanRefusal(config.host, config.allowLan)
  if (refusal) throw new Error(refusal)
  const [opened, models] = await Promise.all([
    wantsLibrary ? openLibrary(config.library, logger, { onKey: (key) => secrets.push(key) }) : undefined,
    loadCatalogue(),
  ])
  library = opened
  catalogue = models
} catch (err) {
  console.error((err as Error).message)
  process.exit(1)
}
const server = await startServer({
  config,
  models: catalogue,
  logger,
  port: config.port,
  host: config.host,
  render: gated,
  ...(library ? { library } : {}),
})
// Before 'listening': a test may signal the moment it reads that line.
stopOnSignals(library ? closingToo(server, library.close) : server, config.shutdownGraceMs, logger)
logger.info('listening', { url: server.url, pid: process.pid })

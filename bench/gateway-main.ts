/*
 * A bench gateway as a process of its own (bench/gateway.ts launchBenchGateway): as `npm start` runs it (the library
 * in STUDIO_DATA_DIR and its runner, the local engine, the built studio from BENCH_DIST_DIR, signals), on PORT (0: a
 * free one), every log line on stdout as JSON, ending with {event: 'listening', url, pid}. The catalogue is loaded by
 * name (static-catalogue.ts), so that esbuild can bundle this file whole: `bench -- library` starts it both ways.
 */
import { startServer } from '../server/app.ts'
import { readConfig } from '../server/config.ts'
import { openLibrary } from '../server/library/library.ts'
import { createLogger } from '../server/logger.ts'
import { closingToo, stopOnSignals } from '../server/shutdown.ts'
import { staticCatalogue } from './static-catalogue.ts'

const config = readConfig(process.env)
const logger = createLogger()
const [library, models] = await Promise.all([openLibrary(config.library, logger), staticCatalogue()])
const distDir = process.env.BENCH_DIST_DIR
const server = await startServer({ config, models, logger, library, port: config.port, host: config.host, ...(distDir ? { distDir } : {}) })
stopOnSignals(closingToo(server, library.close), config.shutdownGraceMs, logger)
logger.info('listening', { url: server.url, pid: process.pid })

/*
 * Where a gateway's start goes (`npm run bench -- library`): run as a child process on an existing data folder
 * (STUDIO_DATA_DIR), doing what `npm start` does, step by step, each step's end noted in ms since the process began
 * (performance.now()):
 *   boot             node, and the loader (tsx) up to this file's first line
 *   library modules  the library's code and its packages (Kysely, pg, PGlite's JS)
 *   gateway modules  the rest of the gateway (Hono, the engine, the runner, pg-boss…)
 *   catalogue        the two model files
 *   build check      main.ts's look at dist/ against every source's mtime (ensureBuilt, without a build)
 *   ffmpeg           main.ts's ffmpeg finder
 *   library open     openLibrary: the lock, PGlite (its WASM, the data folder), the migrations checked, blobs, key
 *   listening        the listener up, without the runner
 *   first answer     GET /api/library/samples/count answered
 *   runner           the runner started (pg-boss on the same database, its queues, the reconcile)
 * then closed. One JSON line on stdout. Run under tsx (as `npm start` is) and bundled by esbuild into one file run by
 * node, the two compared. With BENCH_PHASES=pglite, PGlite alone instead (its share of "library open", in a process of
 * its own so that its WASM is compiled as at a start): its module, PGlite.create on the data folder, one query, the
 * migrations listed as openLibraryDb lists them at every start, closed.
 */
const now = () => Math.round(performance.now())
/** CPU time of the whole process so far (every thread: PGlite's WASM runs on the main one), ms: what load does not inflate. */
const cpu = () => {
  const u = process.cpuUsage()
  return Math.round((u.user + u.system) / 1000)
}
/** [step, its end in ms since the process began, CPU ms used by then]. */
const marks: [string, number, number][] = [['boot', now(), cpu()]]
const mark = (name: string) => marks.push([name, now(), cpu()])

if (process.env.BENCH_PHASES === 'pglite') {
  const { PGlite } = await import('@electric-sql/pglite')
  mark('pglite module')
  const { dataPaths } = await import('../server/library/data-dir.ts')
  const db = await PGlite.create(dataPaths(process.env.STUDIO_DATA_DIR!).db)
  mark('pglite open')
  await db.query('select count(*) from samples')
  mark('first query')
  // What openLibraryDb does next on every start (db.ts migrate): the migrator lists what has run.
  const { Kysely, Migrator } = await import('kysely')
  const { PGliteDialect, PGliteHandle } = await import('../server/library/db/pglite-dialect.ts')
  const { migrationProvider } = await import('../server/library/db/migrations.ts')
  const kysely = new Kysely<unknown>({ dialect: new PGliteDialect(new PGliteHandle(db)) })
  await new Migrator({ db: kysely, provider: migrationProvider }).getMigrations()
  mark('migrations listed')
  await db.close()
  mark('closed')
  console.log(JSON.stringify({ marks }))
  process.exit(0)
}

const { readConfig } = await import('../server/config.ts')
const { createLogger } = await import('../server/logger.ts')
const { openLibrary } = await import('../server/library/library.ts')
mark('library modules')
const { startServer } = await import('../server/app.ts')
const { startRunner } = await import('../server/library/runner/runner.ts')
const { providerClient } = await import('../server/library/runner/provider.ts')
mark('gateway modules')
const { staticCatalogue } = await import('./static-catalogue.ts')
const models = await staticCatalogue()
mark('catalogue')
const { collectInputs, decideBuild } = await import('../server/build.ts')
const root = process.env.BENCH_ROOT ?? process.cwd()
decideBuild(Date.now(), collectInputs(root))
mark('build check')
const { findTools } = await import('../server/engine/ffmpeg.ts')
await findTools().catch(() => undefined)
mark('ffmpeg')

const config = readConfig(process.env)
const logger = createLogger(() => undefined)
const library = await openLibrary(config.library, logger)
mark('library open')
const server = await startServer({ config, models, logger, library, port: 0, runner: false })
mark('listening')
const res = await fetch(`${server.url}/api/library/samples/count`)
if (!res.ok) throw new Error(`the count answered ${res.status}`)
mark('first answer')
const runner = await startRunner({
  library,
  logger,
  providers: {
    local: providerClient({ base: `${server.url}/api/local`, key: () => undefined, timeoutMs: 60_000 }),
    jiekou: providerClient({ base: config.jiekouBaseUrl, key: () => undefined, timeoutMs: 60_000 }),
  },
  keyOf: () => 'local',
})
mark('runner')
await runner.stop()
await server.close()
await library.close()
console.log(JSON.stringify({ marks }))
process.exit(0)

// A module (for its top-level awaits) with no static import, so that every step's loading is timed where it happens.
export { marks }

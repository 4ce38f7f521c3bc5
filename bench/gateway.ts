import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { statSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { startServer, type RunningServer } from '../server/app.ts'
import { collectInputs, decideBuild } from '../server/build.ts'
import { loadCatalogue } from '../server/catalogue.ts'
import { readConfig } from '../server/config.ts'
import { openLibrary, type Library } from '../server/library/library.ts'
import { createLogger, type Logger } from '../server/logger.ts'

export const root = new URL('..', import.meta.url).pathname

/*
 * The bench's gateways. The studio they serve is built into a folder of the bench's own (node_modules/.cache), from
 * the sources as they are, rebuilt only when stale: dist/ belongs to `npm start`, which other runs on this machine
 * rebuild (and empty) when the sources change under them.
 */
export const BENCH_DIST = join(root, 'node_modules/.cache/veo-bench/dist')
let building: Promise<string> | undefined

/** The studio built for the bench (vite build into BENCH_DIST when missing or older than a source); its folder. */
export function benchDist(): Promise<string> {
  building ??= (async () => {
    let built: number | undefined
    try {
      built = statSync(join(BENCH_DIST, 'index.html')).mtimeMs
    } catch {
      built = undefined
    }
    const decision = decideBuild(built, collectInputs(root))
    if (decision.build) {
      console.log(`  building the studio for the bench (vite build → ${BENCH_DIST}), because ${decision.reason}`)
      await promisify(execFile)(
        process.execPath,
        [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', BENCH_DIST, '--emptyOutDir'],
        {
          cwd: root,
          maxBuffer: 16 * 1024 * 1024,
        },
      )
    }
    return BENCH_DIST
  })()
  return building
}

/** A library's data folder for a gateway: STUDIO_DATA_DIR when given, else beside the engine's folder, else a new one. */
async function dataDirOf(env: Record<string, string>): Promise<string> {
  if (env.STUDIO_DATA_DIR) return env.STUDIO_DATA_DIR
  if (env.LOCAL_ENGINE_DATA_DIR) return `${env.LOCAL_ENGINE_DATA_DIR}-library`
  return mkdtemp(join(tmpdir(), 'veo-bench-library-'))
}

/**
 * A quiet gateway in this process on a free port, as `npm start` runs it: the local engine configured by `env` (as
 * the environment would), the library (its data folder STUDIO_DATA_DIR, else beside the engine's) with its runner,
 * and the built studio when `studio` is set. A part that times the engine's or the runner's events passes a
 * `logger`. Closing the server closes the library too.
 */
export async function startBenchGateway(
  env: Record<string, string>,
  { studio = true, logger = createLogger(() => {}) }: { studio?: boolean; logger?: Logger } = {},
): Promise<{ config: ReturnType<typeof readConfig>; server: RunningServer; library: Library }> {
  const distDir = studio ? await benchDist() : undefined
  const config = readConfig({ GATEWAY_CLIENT_RPM: '0', ...env, STUDIO_DATA_DIR: await dataDirOf(env) })
  const library = await openLibrary(config.library, logger)
  let running: RunningServer
  try {
    running = await startServer({ config, models: await loadCatalogue(), logger, library, port: 0, ...(distDir ? { distDir } : {}) })
  } catch (err) {
    await library.close()
    throw err
  }
  const server: RunningServer = {
    ...running,
    close: async () => {
      await running.close()
      await library.close()
    },
  }
  return { config, server, library }
}

/** A gateway in a process of its own (bench/gateway-main.ts): its log lines parsed as they come. */
export interface BenchGatewayProcess {
  url: string
  pid: number
  /** Every log line so far, parsed; `onEvent` hears each as it comes. */
  events: { event: string; time: string; [k: string]: unknown }[]
  onEvent?: (e: BenchGatewayProcess['events'][number]) => void
  /** What it wrote on stderr, and whether it has exited (with its code): for the words of a failure. */
  stderr(): string
  exitCode(): number | null | undefined
  /** SIGTERM, and the end of the process. */
  close(): Promise<void>
}

/** Gateway processes still running: stopped with the bench, even when a part fails and the bench exits at once. */
const children = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})

/**
 * The same gateway, in a child process (`node --import tsx bench/gateway-main.ts`), so that several at once each
 * have an event loop (and PGlite) of their own, as they would in use, rather than sharing the bench's.
 */
export async function launchBenchGateway(env: Record<string, string>, { studio = true } = {}): Promise<BenchGatewayProcess> {
  const distDir = studio ? await benchDist() : ''
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/gateway-main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...(process.env.FFMPEG_PATH ? { FFMPEG_PATH: process.env.FFMPEG_PATH } : {}),
      PORT: '0',
      GATEWAY_CLIENT_RPM: '0',
      BENCH_DIST_DIR: distDir,
      ...env,
      STUDIO_DATA_DIR: await dataDirOf(env),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(proc)
  proc.once('exit', () => children.delete(proc))
  let stderr = ''
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = once(proc, 'exit')
  const g: BenchGatewayProcess = {
    url: '',
    pid: proc.pid ?? 0,
    events: [],
    stderr: () => stderr,
    exitCode: () => (proc.exitCode === null && proc.signalCode === null ? undefined : proc.exitCode),
    close: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      await exited
    },
  }
  g.url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout }).on('line', (line) => {
      let e: BenchGatewayProcess['events'][number]
      try {
        e = JSON.parse(line) as BenchGatewayProcess['events'][number]
      } catch {
        return // ffmpeg's line and the like
      }
      g.events.push(e)
      g.onEvent?.(e)
      if (e.event === 'listening') resolve(e.url as string)
    })
    void exited.then(([code]) => reject(new Error(`the bench gateway exited (${String(code)}) before listening: ${stderr}`)))
  })
  return g
}

/*
 * npm run bench -- library: the embedded library at 10,000 samples (issue 18). A fresh data folder's first start
 * (initdb and migrations), the seed (testing/seed-library.ts), then a real gateway process on that folder (bench/
 * gateway-main.ts, as `npm start` runs the gateway, on a port chosen here):
 *   - a restart, until it serves: from the spawn to the first 200 of GET /api/library/samples/count (asked every
 *     25 ms), and the CPU the process had used by then (/proc: what a busy machine does not inflate), 3 times;
 *   - the same from the gateway bundled into one file by esbuild and run by node, not tsx (a prototype: what a
 *     prebuilt server would start in);
 *   - where a start goes (bench/startup-phases.ts, 3 times each under tsx and bundled, and PGlite alone);
 *   - the count and the list pages (p95 over many pages and filters), its memory at rest, a kill -9 and the start after.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { build } from 'esbuild'
import { openLibrary } from '../server/library/library.ts'
import { createLogger } from '../server/logger.ts'
import { seedLibrary } from '../testing/seed-library.ts'
import { root } from './gateway.ts'
import { median } from './studio-page.ts'

type RecordFigure = (name: string, value: number, unit: string, budget: number, better?: 'lower' | 'higher') => void

const SAMPLES = Number(process.env.BENCH_LIBRARY_SAMPLES ?? 10_000)
const STARTS = 3
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const secs = (ms: number) => (ms / 1000).toFixed(2)
const BUNDLES = join(root, 'node_modules/.cache/veo-bench')

/** The resident memory of a process, in MB (Linux). */
async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024
}

/** The CPU time (user + system, every thread) a process has used, in ms (Linux; clock ticks of 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })

type Variant = 'tsx' | 'bundle'
const entry = (variant: Variant, name: string) =>
  variant === 'tsx' ? ['--import', 'tsx', `bench/${name}.ts`] : [join(BUNDLES, `${name}.mjs`)]

/**
 * bench/gateway-main.ts and bench/startup-phases.ts, each bundled into one ES module with the packages it uses, but
 * for those that find files beside their own (PGlite's WASM and data, the ffmpeg binaries) and pg's optional native
 * binding. Kysely alone is hundreds of small files: loaded one by one, the packages cost about as much as the code.
 */
async function bundle(): Promise<string> {
  const sizes: string[] = []
  for (const name of ['gateway-main', 'startup-phases']) {
    const { metafile } = await build({
      entryPoints: [join(root, `bench/${name}.ts`)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['@electric-sql/pglite', '@ffmpeg-installer/*', '@ffprobe-installer/*', 'pg-native'],
      // The CommonJS packages inside (pg, pg-boss…) call require for node's own modules.
      banner: { js: "import { createRequire as benchRequire } from 'node:module'; const require = benchRequire(import.meta.url);" },
      outfile: join(BUNDLES, `${name}.mjs`),
      metafile: true,
      logLevel: 'warning',
    })
    sizes.push(`${name}.mjs ${(Object.values(metafile.outputs)[0]!.bytes / 2 ** 20).toFixed(1)} MB`)
  }
  return sizes.join(', ')
}

interface Started {
  proc: ChildProcess
  port: number
  ms: number
  cpuMs: number
  exited: Promise<unknown>
}

/** A gateway on the data folder, from the spawn until the library answers (the count), with the CPU it used. */
async function timedStart(variant: Variant, env: Record<string, string>): Promise<Started> {
  const port = await freePort()
  const t = performance.now()
  const proc = spawn(process.execPath, entry(variant, 'gateway-main'), {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), LOCAL_ENGINE_WORKERS: '1', GATEWAY_CLIENT_RPM: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = once(proc, 'exit')
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the gateway exited (${proc.exitCode}) before it served: ${stderr}`)
    const res = await fetch(`http://127.0.0.1:${port}/api/library/samples/count`).catch(() => undefined)
    if (res?.ok) break
    if (performance.now() - t > 120_000) throw new Error(`the gateway did not serve within 120 s: ${stderr}`)
    await sleep(25)
  }
  const ms = performance.now() - t
  return { proc, port, ms, cpuMs: await cpuMs(proc.pid!), exited }
}

/** Where a start goes: bench/startup-phases.ts run once, its steps as [name, wall ms, CPU ms] each from the last. */
async function phases(variant: Variant, env: Record<string, string>): Promise<[string, number, number][]> {
  const proc = spawn(process.execPath, entry(variant, 'startup-phases'), {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, BENCH_ROOT: root, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const [code] = (await once(proc, 'exit')) as [number | null]
  if (code !== 0) throw new Error(`startup-phases (${variant}) exited ${code}: ${err}`)
  const { marks } = JSON.parse(out.trim().split('\n').at(-1)!) as { marks: [string, number, number][] }
  return marks.map(([name, wall, cpu], i) => [name, wall - (marks[i - 1]?.[1] ?? 0), cpu - (marks[i - 1]?.[2] ?? 0)])
}

/** The median of each step over runs, printed as "step wall/CPU ms". */
function describePhases(runs: [string, number, number][][]): string {
  return runs[0]!.map(([name], i) => `${name} ${median(runs.map((r) => r[i]![1]))}/${median(runs.map((r) => r[i]![2]))}`).join(', ')
}

async function stop(g: Started, signal: NodeJS.Signals = 'SIGTERM') {
  if (g.proc.exitCode === null && g.proc.signalCode === null) g.proc.kill(signal)
  await g.exited
}

export async function benchLibrary(dir: string, record: RecordFigure): Promise<void> {
  const dataDir = await mkdtemp(join(dir, 'library-'))
  const running: Started[] = []
  try {
    const config = { dataDir, databaseUrl: undefined, databaseSchema: undefined, backupIntervalMs: 0 }
    let t = performance.now()
    const library = await openLibrary(
      config,
      createLogger(() => undefined),
    )
    console.log(`  first start of an empty data folder (initdb, migrations): ${secs(performance.now() - t)} s`)
    t = performance.now()
    await seedLibrary(library, SAMPLES)
    console.log(`  seeded ${SAMPLES.toLocaleString('en')} samples in ${secs(performance.now() - t)} s`)
    await library.close()
    t = performance.now()
    const bundled = await bundle()
    console.log(`  bundled with esbuild in ${secs(performance.now() - t)} s: ${bundled}`)

    const env = { STUDIO_DATA_DIR: dataDir, LOCAL_ENGINE_DATA_DIR: join(dataDir, 'engine') }
    const starts: Record<Variant, Started[]> = { tsx: [], bundle: [] }
    for (const variant of ['bundle', 'tsx'] as const)
      for (let i = 0; i < STARTS; i++) {
        const started = await timedStart(variant, env)
        starts[variant].push(started)
        // The last start under tsx stays up for the figures below.
        if (variant === 'tsx' && i === STARTS - 1) running.push(started)
        else await stop(started)
      }
    for (const variant of ['tsx', 'bundle'] as const)
      console.log(
        `  restarts (${variant === 'tsx' ? 'tsx, as npm start' : 'one esbuild bundle, node'}): ` +
          `${starts[variant].map((s) => `${secs(s.ms)} s (CPU ${secs(s.cpuMs)} s)`).join(', ')}`,
      )
    record(
      `gateway restart on an existing data folder, ready to serve (median of ${STARTS})`,
      median(starts.tsx.map((s) => s.ms)) / 1000,
      's',
      3,
    )
    record(
      `gateway restart, ready to serve, from an esbuild bundle (prototype; median of ${STARTS})`,
      median(starts.bundle.map((s) => s.ms)) / 1000,
      's',
      3,
    )
    const g = running[0]!

    const url = `http://127.0.0.1:${g.port}/api/library`
    const timeOf = async (path: string) => {
      const s = performance.now()
      const res = await fetch(`${url}${path}`)
      const body = (await res.json()) as { nextCursor?: string | null; count?: number }
      if (!res.ok) throw new Error(`${path}: ${res.status}`)
      return { ms: performance.now() - s, body }
    }
    const counts: number[] = []
    for (let i = 0; i < 20; i++) counts.push((await timeOf('/samples/count')).ms)
    record(`${SAMPLES.toLocaleString('en')} samples: the count (median of 20)`, quantile(counts, 0.5), 'ms', 1000)
    const pages: number[] = []
    for (const filter of ['', '&favourite=1', '&provider=jiekou', '&model=veo-3.0-generate-preview-img2video', '&q=lighthouse']) {
      let cursor: string | null | undefined
      for (let p = 0; p < 40; p++) {
        const { ms, body } = await timeOf(`/samples?limit=60${filter}${cursor ? `&cursor=${cursor}` : ''}`)
        pages.push(ms)
        cursor = body.nextCursor
        if (!cursor) break
      }
    }
    console.log(`  ${pages.length} list pages: median ${quantile(pages, 0.5).toFixed(1)} ms, p95 ${quantile(pages, 0.95).toFixed(1)} ms`)
    record(`library list page, ${SAMPLES.toLocaleString('en')} samples, p95`, quantile(pages, 0.95), 'ms', 50)
    // The studio reads its lists whole at load, 200 at a time, one page after another (src/api/library-client.ts
    // listAll): how long the whole of each takes at the gateway, alone.
    for (const list of ['samples', 'tasks']) {
      const each: number[] = []
      let cursor: string | null | undefined
      const s = performance.now()
      do {
        const { ms, body } = await timeOf(`/${list}?limit=200${cursor ? `&cursor=${cursor}` : ''}`)
        each.push(ms)
        cursor = body.nextCursor
      } while (cursor)
      console.log(
        `  the whole ${list} list as the studio reads it: ${each.length} pages of 200 in ${secs(performance.now() - s)} s ` +
          `(a page: median ${quantile(each, 0.5).toFixed(0)} ms, p95 ${quantile(each, 0.95).toFixed(0)} ms)`,
      )
    }

    await sleep(5_000)
    record(`gateway memory at rest with ${SAMPLES.toLocaleString('en')} samples (RSS, report)`, await rssMb(g.proc.pid!), 'MB', 2048)

    await stop(g, 'SIGKILL')
    running.length = 0
    const afterKill = await timedStart('tsx', env)
    running.push(afterKill)
    console.log(`  start after kill -9: ${secs(afterKill.ms)} s (CPU ${secs(afterKill.cpuMs)} s)`)
    record('gateway start after kill -9, ready to serve', afterKill.ms / 1000, 's', 5)
    await stop(afterKill)
    running.length = 0

    // Where the time goes: each step's median wall and CPU ms (bench/startup-phases.ts says what each step is).
    const runs: Record<string, [string, number, number][][]> = { tsx: [], bundle: [], pglite: [] }
    for (let i = 0; i < STARTS; i++) {
      runs.tsx!.push(await phases('tsx', env))
      runs.bundle!.push(await phases('bundle', env))
      runs.pglite!.push(await phases('bundle', { ...env, BENCH_PHASES: 'pglite' }))
    }
    console.log(`  a start step by step, median wall/CPU ms of ${STARTS}:`)
    console.log(`    tsx:    ${describePhases(runs.tsx!)}`)
    console.log(`    bundle: ${describePhases(runs.bundle!)}`)
    console.log(`    PGlite alone (bundle): ${describePhases(runs.pglite!)}`)
  } finally {
    for (const g of running) await stop(g, 'SIGKILL')
    await rm(dataDir, { recursive: true, force: true })
  }
}

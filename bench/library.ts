/*
 * npm run bench -- library: the embedded library at 10,000 samples (issue 18). A fresh data folder's first start
 * (initdb and migrations), the seed, then a real gateway process on that folder: how soon a restart serves, the count
 * and the list pages (p95 over many pages and filters), its memory at rest, and a kill -9 and the start after it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { openLibrary } from '../server/library/library.ts'
import { createLogger } from '../server/logger.ts'
import { killAllGatewayProcesses, launchGateway, type GatewayProcess } from '../server/testing/gateway-process.ts'
import { seedLibrary } from '../testing/seed-library.ts'

type RecordFigure = (name: string, value: number, unit: string, budget: number, better?: 'lower' | 'higher') => void

const SAMPLES = Number(process.env.BENCH_LIBRARY_SAMPLES ?? 10_000)
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!

/** The resident memory of a process, in MB (Linux). */
async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024
}

/** From spawn to the first answer of the library (not only the listener: the database must answer too). */
async function timedStart(env: Record<string, string>): Promise<{ g: GatewayProcess; ms: number }> {
  const t = performance.now()
  const g = await launchGateway(env)
  const res = await fetch(`${g.url}/api/library/samples/count`)
  if (!res.ok) throw new Error(`the library answered ${res.status}`)
  return { g, ms: performance.now() - t }
}

export async function benchLibrary(dir: string, record: RecordFigure): Promise<void> {
  const dataDir = await mkdtemp(join(dir, 'library-'))
  try {
    const config = { dataDir, databaseUrl: undefined, databaseSchema: undefined, backupIntervalMs: 0 }
    let t = performance.now()
    const library = await openLibrary(
      config,
      createLogger(() => undefined),
    )
    console.log(`  first start of an empty data folder (initdb, migrations): ${((performance.now() - t) / 1000).toFixed(1)} s`)
    t = performance.now()
    await seedLibrary(library, SAMPLES)
    console.log(`  seeded ${SAMPLES.toLocaleString('en')} samples in ${((performance.now() - t) / 1000).toFixed(1)} s`)
    await library.close()

    const env = { STUDIO_DATA_DIR: dataDir, LOCAL_ENGINE_DATA_DIR: join(dataDir, 'engine') }
    const starts: number[] = []
    let g: GatewayProcess | undefined
    for (let i = 0; i < 3; i++) {
      const started = await timedStart(env)
      starts.push(started.ms)
      if (i < 2) {
        started.g.signal('SIGTERM')
        await started.g.exited
      } else g = started.g
    }
    console.log(`  restarts: ${starts.map((s) => (s / 1000).toFixed(2)).join(', ')} s (spawn, tsx, catalogue, database, runner)`)
    record('gateway restart on an existing data folder, ready to serve (median of 3)', quantile(starts, 0.5) / 1000, 's', 3)

    const url = `${g!.url}/api/library`
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

    await new Promise((r) => setTimeout(r, 5_000))
    const pid = (g!.events.find((e) => e.event === 'listening') as { pid?: number } | undefined)?.pid
    if (pid) record(`gateway memory at rest with ${SAMPLES.toLocaleString('en')} samples (RSS, report)`, await rssMb(pid), 'MB', 2048)

    g!.signal('SIGKILL')
    await g!.exited
    const afterKill = await timedStart(env)
    console.log(`  start after kill -9: ${(afterKill.ms / 1000).toFixed(2)} s`)
    record('gateway start after kill -9, ready to serve', afterKill.ms / 1000, 's', 5)
    afterKill.g.signal('SIGTERM')
    await afterKill.g.exited
  } finally {
    killAllGatewayProcesses()
    await rm(dataDir, { recursive: true, force: true })
  }
}

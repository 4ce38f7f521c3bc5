/*
 * Issue 9's figure: the time to compute frame fidelity (first and last frame, PSNR + SSIM + heat maps) for an 8 s
 * 1080p Veo 3.1 first/last sample, in Chromium, from the start of the measurement to the numbers
 * (performance.measure('fidelity <sample id>'), recorded by the compare feature itself).
 *
 * Two ways in, the first that works:
 * - view: the built studio renders two samples through the local engine (Try with sample frames, 8 s, 1080p,
 *   2 samples), then opens /compare?samples=a,b as a designer would, and reads the measures the view leaves;
 * - page: when the built studio has no comparison yet, the sample is rendered through the engine's API and the same
 *   code (measureSample: hidden-video grab + worker) runs in a tiny page built with Vite into .data/, outside the
 *   app's bundle.
 */
import { chromium, type Browser, type Page } from '@playwright/test'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { chromiumLaunchOptions } from '../testing/chromium.ts'
import { root, startBenchGateway } from './gateway.ts'

type RecordFigure = (name: string, value: number, unit: string, budget: number) => void

/** Measures to take: the view gives two a load (samples A and B), the page one. */
const RUNS = 6
/** Half a second is what a designer notices as "the numbers came late" after the videos show. */
const BUDGET_MS = 500
const FIRST = join(root, 'public/samples/first-frame.png')
const LAST = join(root, 'public/samples/last-frame.png')

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = sorted.length / 2
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

interface Measured {
  ms: number
  grabMs: number
  result: unknown
}

/** The durations of the measures the compare feature left for these samples, once all are there. */
async function measuresFor(page: Page, ids: string[]): Promise<Measured[]> {
  const handle = await page
    .waitForFunction(
      (names) => {
        const found = names.map((n) => performance.getEntriesByName(`fidelity ${n}`, 'measure')[0])
        if (found.some((e) => !e)) return undefined
        return names.map((n, i) => ({
          ms: found[i]!.duration,
          grabMs: performance.getEntriesByName(`fidelity grab ${n}`, 'measure')[0]?.duration ?? Number.NaN,
          result: [...(document.querySelector(`[aria-label="Fidelity ${'ABCD'[i]}"]`)?.children ?? [])]
            .map((c) => c.textContent)
            .join(' / '),
        }))
      },
      ids,
      { timeout: 120_000, polling: 100 },
    )
    .catch(async (e: unknown) => {
      // Say what the page showed instead: the badges' words, or the page's own text.
      const badges = await page.locator('[aria-label^="Fidelity "]').allTextContents()
      const shown = badges.length ? badges.join(' | ') : (await page.locator('body').innerText()).slice(0, 300)
      throw new Error(`no fidelity measures within 120 s; the page shows: ${shown}`, { cause: e })
    })
  return (await handle.jsonValue()) as Measured[]
}

/** The studio's own path: render two samples in the UI, then open them in the comparison, RUNS / 2 times. */
async function throughTheView(browser: Browser, dir: string): Promise<Measured[]> {
  const { server } = await startBenchGateway({ LOCAL_ENGINE_PACE_MS: '0', LOCAL_ENGINE_DATA_DIR: join(dir, 'fidelity-engine') })
  try {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage()
    await page.goto(server.url)
    await page.getByRole('button', { name: 'Try with sample frames' }).click()
    await page.getByRole('group', { name: 'Last frame' }).locator('img').waitFor()
    await page.getByRole('group', { name: 'Model' }).getByRole('radio', { name: 'Veo 3.1' }).check()
    for (const [group, option] of [
      ['Duration', '8 s'],
      ['Resolution', '1080p'],
      ['Samples', '2'],
    ])
      await page.getByRole('group', { name: group, exact: true }).getByRole('radio', { name: option, exact: true }).check()
    await page.getByRole('button', { name: /^Generate/ }).click()
    // Both samples copied into the browser's storage: the comparison reads the stored copies.
    const storedIds = () =>
      page.evaluate(
        () =>
          new Promise<string[] | undefined>((resolve) => {
            const open = indexedDB.open('veo-studio')
            open.addEventListener('error', () => resolve(undefined))
            open.addEventListener('success', () => {
              if (!open.result.objectStoreNames.contains('samples')) return resolve(undefined)
              const all = open.result.transaction('samples').objectStore('samples').getAll()
              all.addEventListener('success', () => {
                const samples = all.result as { id: string; stored: boolean }[]
                open.result.close()
                resolve(samples.length >= 2 && samples.every((s) => s.stored) ? samples.map((s) => s.id).sort() : undefined)
              })
              all.addEventListener('error', () => resolve(undefined))
            })
          }),
      )
    const waitUntil = Date.now() + 300_000
    let ids = await storedIds()
    while (!ids) {
      if (Date.now() > waitUntil) throw new Error('the two samples were not stored within 5 minutes')
      await page.waitForTimeout(500)
      ids = await storedIds()
    }
    console.log(`  rendered and stored: ${ids.join(', ')}`)
    const out: Measured[] = []
    while (out.length < RUNS) {
      // A fresh load each time: no kept results, a fresh worker, as when a designer opens a comparison.
      // Ids hold ':' and '#': each is encoded, as the studio's own Compare button does.
      await page.goto(`${server.url}/compare?samples=${ids.map((id) => encodeURIComponent(id)).join(',')}`)
      out.push(...(await measuresFor(page, ids)))
    }
    return out
  } finally {
    await server.close()
  }
}

const PAGE_MAIN = `
import { db } from '../../src/db/db'
import { fidelityPlan } from '../../src/features/compare/fidelity-plan'
import { measureSample } from '../../src/features/compare/fidelity-run'

const frame = (hash) => ({ kind: 'stored', hash, mime: 'image/png', width: 1280, height: 720, bytes: 1, name: hash + '.png' })

window.measureFidelity = async (run) => {
  const [first, last, video] = await Promise.all(['/first.png', '/last.png', '/video.mp4'].map(async (u) => (await fetch(u)).blob()))
  const now = Date.now()
  await db.frames.bulkPut(
    [['first', first], ['last', last]].map(([hash, blob]) => ({ hash, blob, mime: 'image/png', width: 1280, height: 720, bytes: blob.size, name: hash, addedAt: now })),
  )
  const sample = { id: 'bench#' + run, stored: true, request: { modelId: 'veo-3.1-generate-firstlastframe', params: {}, frames: { first: frame('first'), last: frame('last') } } }
  const src = URL.createObjectURL(video)
  const r = await measureSample(sample.id, fidelityPlan(sample), src)
  const entry = (n) => performance.getEntriesByName(n, 'measure')[0]?.duration ?? NaN
  return { ms: entry('fidelity ' + sample.id), grabMs: entry('fidelity grab ' + sample.id), result: r }
}
`

/** The same code in a page of its own (never part of the app's bundle), on a sample rendered through the API. */
async function throughAPage(browser: Browser, dir: string): Promise<Measured[]> {
  const { server } = await startBenchGateway(
    { LOCAL_ENGINE_PACE_MS: '0', LOCAL_ENGINE_DATA_DIR: join(dir, 'fidelity-api') },
    { studio: false },
  )
  let video: Buffer
  try {
    const body = {
      image: (await readFile(FIRST)).toString('base64'),
      last_image: (await readFile(LAST)).toString('base64'),
      prompt: 'the light shifts, pan right',
      resolution: '1080p',
      duration_seconds: 8,
      sample_count: 1,
      seed: 11,
    }
    const submitted = await fetch(`${server.url}/api/local/v3/async/veo-3.1-generate-firstlastframe`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
    const { task_id } = (await submitted.json()) as { task_id: string }
    let url: string | undefined
    while (!url) {
      const r = (await (await fetch(`${server.url}/api/local/v3/async/task-result?task_id=${task_id}`)).json()) as {
        task: { status: string; reason: string }
        videos?: { video_url: string }[]
      }
      if (r.task.status === 'TASK_STATUS_FAILED') throw new Error(r.task.reason)
      if (r.task.status === 'TASK_STATUS_SUCCEED') url = r.videos?.[0]?.video_url
      else await new Promise((res) => setTimeout(res, 250))
    }
    video = Buffer.from(await (await fetch(url)).arrayBuffer())
  } finally {
    await server.close()
  }

  const pageDir = join(root, '.data/fidelity-bench')
  await mkdir(pageDir, { recursive: true })
  await writeFile(
    join(pageDir, 'index.html'),
    '<!doctype html><title>fidelity bench</title><script type="module" src="./main.js"></script>',
  )
  await writeFile(join(pageDir, 'main.js'), PAGE_MAIN)
  const { build } = await import('vite')
  const outDir = join(pageDir, 'dist')
  await build({
    root: pageDir,
    configFile: false,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022' },
    worker: { format: 'es' },
  })

  const files: { [path: string]: Buffer } = { '/first.png': await readFile(FIRST), '/last.png': await readFile(LAST), '/video.mp4': video }
  const types: { [ext: string]: string } = { '.html': 'text/html', '.js': 'text/javascript', '.png': 'image/png', '.mp4': 'video/mp4' }
  const out: Measured[] = []
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext()
    // localhost is a secure context; nothing leaves the browser, every request is answered here.
    await context.route('http://localhost/**', async (route) => {
      const path = new URL(route.request().url()).pathname
      const bytes = files[path] ?? (await readFile(join(outDir, path === '/' ? 'index.html' : path)).catch(() => undefined))
      if (!bytes) return route.fulfill({ status: 404 })
      await route.fulfill({ status: 200, body: bytes, contentType: types[extname(path) || '.html'] ?? 'application/octet-stream' })
    })
    const page = await context.newPage()
    await page.goto('http://localhost/')
    await page.waitForFunction(() => 'measureFidelity' in window)
    out.push(
      (await page.evaluate(
        (n) => (window as unknown as { measureFidelity(n: number): Promise<Measured> }).measureFidelity(n),
        run,
      )) as Measured,
    )
    await context.close()
  }
  return out
}

export async function benchFidelity(dir: string, record: RecordFigure) {
  const browser = await chromium.launch(chromiumLaunchOptions)
  try {
    let runs: Measured[]
    let how: string
    try {
      runs = await throughTheView(browser, dir)
      how = 'through the Compare view (/compare?samples=a,b), rendered in the studio UI'
    } catch (e) {
      console.log(
        `  the Compare view could not be measured (${(e instanceof Error ? e.message : String(e)).split('\n')[0]}); measuring through a page of its own`,
      )
      runs = await throughAPage(browser, dir)
      how = 'through a page of its own (.data/fidelity-bench), rendered through the engine API'
    }
    console.log(`  ${how}`)
    console.log(`  runs: ${runs.map((r) => `${r.ms.toFixed(0)} ms (grab ${r.grabMs.toFixed(0)})`).join(', ')}`)
    console.log(`  last result: ${JSON.stringify(runs.at(-1)?.result)}`)
    record(
      `fidelity of an 8 s 1080p first/last sample, first + last frame (median of ${runs.length})`,
      median(runs.map((r) => r.ms)),
      'ms',
      BUDGET_MS,
    )
  } finally {
    await browser.close()
  }
}

/*
 * The scale figures (issue 11 at 1,000 samples, issue 18 at 10,000): the studio over a library of N samples and their
 * N finished tasks, seeded through the gateway's API as an import (testing/seed-samples.ts: one tiny real MP4 and
 * poster, and a frame, shared by all), on a fresh gateway (its own data folder) for each size. Per load (median of 3),
 * from the navigation's start: when the gallery's count first reads "N of N", and when the studio has settled: every
 * list page read (samples and tasks, no list request left in flight), the gallery's first row of posters painted, and
 * the last long task ended, with a second of quiet after all of it (read every 100 ms). After the last load: the DOM
 * (<video> elements, elements, nodes), the JS heap after a GC, and the gallery scrolled by requestAnimationFrame for
 * 3 s, three times (its frame rate, given as the mean frame interval so that lower is better like every other figure;
 * each run also says its longest frame and how busy the main thread was), then three times more with the pointer over
 * the list. BENCH_SCALE_SAMPLES lists the sizes (default 1000,10000).
 */
import { chromium, type Browser, type Page } from '@playwright/test'
import { join } from 'node:path'
import { chromiumLaunchOptions } from '../testing/chromium.ts'
import { seedSamples } from '../testing/seed-samples.ts'
import { launchBenchGateway } from './gateway.ts'

type RecordFigure = (name: string, value: number, unit: string, budget: number) => void

const SIZES = (process.env.BENCH_SCALE_SAMPLES ?? '1000,10000').split(',').map(Number)
const LOADS = 3
const SCROLLS = 3
const QUIET_MS = 1000
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

interface ScaleWatch {
  longtasks: [number, number][]
  countAt?: number
  /** List pages (GET /api/library/samples?… or /tasks?…) in flight, and when the last one ended. */
  lists: number
  listPages: number
  listsReadAt?: number
  firstRowAt?: number
}

/**
 * In the page, from its first script: long tasks as they happen; the moment the gallery's count first reads "N of N"
 * (checked on DOM changes, on the count's own span only); the list pages read, through a wrapper of fetch (the
 * studio's one fetch wrapper calls it); and the first frame in which every card of the gallery's first row shows its
 * poster (checked at each animation frame).
 */
function watchLoad(n: number) {
  // tsx keeps function names with a `__name` helper, which the page lacks: this file's page functions need it there.
  // oxlint-disable-next-line no-underscore-dangle
  ;(globalThis as { __name?: unknown }).__name ??= (f: unknown) => f
  const w = window as unknown as { scaleWatch: ScaleWatch }
  const watch: ScaleWatch = (w.scaleWatch = { longtasks: [], lists: 0, listPages: 0 })
  // Every list page's timing is kept (the default buffer holds 250 entries: the pages, files and posters pass that).
  performance.setResourceTimingBufferSize(20_000)
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) watch.longtasks.push([e.startTime, e.duration])
  }).observe({ type: 'longtask' })
  const isList = (url: string) => /\/api\/library\/(samples|tasks)\?/.test(url)
  const fetched = window.fetch.bind(window)
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    if (!isList(url)) return fetched(input, init)
    watch.lists++
    watch.listPages++
    const done = () => {
      watch.lists--
      watch.listsReadAt = performance.now()
    }
    // The page's end is when its body has been read: a clone is read here, the studio reads the original.
    return fetched(input, init).then(
      (res) => {
        void res.clone().arrayBuffer().then(done, done)
        return res
      },
      (err: unknown) => {
        done()
        throw err
      },
    )
  }
  const want = `${n} of ${n}`
  const seen = new MutationObserver(() => {
    const spans = document.querySelectorAll('section[aria-label="Gallery"] > div > span')
    if ([...spans].some((s) => s.textContent === want)) {
      watch.countAt = performance.now()
      seen.disconnect()
    }
  })
  document.addEventListener('DOMContentLoaded', () => seen.observe(document.body, { childList: true, subtree: true, characterData: true }))
  const firstRow = () => {
    const cards = [...document.querySelectorAll('[aria-label="Samples"] > li[data-index="0"]')]
    const painted =
      cards.length > 0 &&
      cards.every((li) => {
        const img = li.querySelector('img')
        const video = li.querySelector('video')
        return (img && img.complete && img.naturalWidth > 0) || (video && video.readyState >= 2)
      })
    if (painted) watch.firstRowAt ??= performance.now()
    else watch.firstRowAt = undefined
    requestAnimationFrame(firstRow)
  }
  requestAnimationFrame(firstRow)
}

interface Load {
  countMs: number
  listsMs: number
  firstRowMs: number
  settledMs: number
  pages: number
  /** Per list (samples, tasks): its pages, from the first page asked to the last read, of which waiting for answers. */
  chains: { list: string; pages: number; spanMs: number; waitMs: number }[]
}

/**
 * In the page: each list's pages, read one after another (a keyset list is read page by page), from the first asked
 * to the last read, and how much of that went waiting for the gateway's answers (request sent to first byte) rather
 * than in the page (reading and checking each answer, then asking for the next).
 */
function listChains() {
  const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[]
  return ['samples', 'tasks'].map((list) => {
    const pages = entries.filter((e) => new RegExp(`/api/library/${list}\\?`).test(e.name))
    const first = Math.min(...pages.map((e) => e.startTime))
    const last = Math.max(...pages.map((e) => e.responseEnd))
    const waitMs = pages.reduce((sum, e) => sum + (e.responseStart - e.startTime), 0)
    return { list, pages: pages.length, spanMs: last - first, waitMs }
  })
}

/** Waits for the load watched by watchLoad to settle; times are from the navigation's start. */
async function settle(page: Page, n: number): Promise<Load> {
  const deadline = Date.now() + 180_000
  for (;;) {
    const state = await page.evaluate(() => {
      const w = (window as unknown as { scaleWatch: ScaleWatch }).scaleWatch
      const lastLong = Math.max(0, ...w.longtasks.map(([start, duration]) => start + duration))
      return { ...w, longtasks: [], lastLong, now: performance.now() }
    })
    const { countAt, listsReadAt, firstRowAt } = state
    if (countAt !== undefined && listsReadAt !== undefined && firstRowAt !== undefined && state.lists === 0) {
      const settledMs = Math.max(countAt, listsReadAt, firstRowAt, state.lastLong)
      if (state.now - settledMs >= QUIET_MS) {
        const chains = await page.evaluate(listChains)
        return { countMs: countAt, listsMs: listsReadAt, firstRowMs: firstRowAt, settledMs, pages: state.listPages, chains }
      }
    }
    if (Date.now() > deadline) throw new Error(`the studio did not settle with ${n} samples within 180 s: ${JSON.stringify(state)}`)
    await page.waitForTimeout(100)
  }
}

/** Scrolls the gallery's list by 40 px a frame for 3 s; returns the mean frame interval and the longest, in ms. */
function scrollGallery() {
  return new Promise<{ mean: number; worst: number; frames: number }>((resolve) => {
    const list = document.querySelector<HTMLElement>('[aria-label="Samples"]')!
    const stamps: number[] = []
    const step = (t: number) => {
      stamps.push(t)
      if (t - stamps[0]! < 3000) {
        // At the end it starts again from the top: the figure is about scrolling through cards, not resting.
        list.scrollTop = list.scrollTop + list.clientHeight >= list.scrollHeight - 1 ? 0 : list.scrollTop + 40
        requestAnimationFrame(step)
        return
      }
      const gaps = stamps.slice(1).map((s, i) => s - stamps[i]!)
      resolve({ mean: (stamps.at(-1)! - stamps[0]!) / gaps.length, worst: Math.max(...gaps), frames: gaps.length })
    }
    requestAnimationFrame(step)
  })
}

/** One size: a fresh gateway, the seed, three loads, the DOM, the heap and the scroll. */
async function atScale(browser: Browser, dir: string, n: number, record: RecordFigure) {
  // A gateway process of its own, as in use: the page's reads are not served by the bench's own event loop.
  const server = await launchBenchGateway({ LOCAL_ENGINE_DATA_DIR: join(dir, `scale-${n}-engine`) })
  const label = `${n.toLocaleString('en')} samples`
  try {
    // A fresh profile and a fresh library: nothing but what the seed writes (through page.request, at the gateway).
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: server.url })
    const page = await context.newPage()
    await page.addInitScript(watchLoad, n)
    await page.goto(server.url)
    const loads: Load[] = []
    // The seed's own reload is the first load.
    const seeding = performance.now()
    await seedSamples(page, n)
    console.log(`  ${label}: seeded through the gateway's import in ${((performance.now() - seeding) / 1000).toFixed(1)} s`)
    loads.push(await settle(page, n))
    for (let i = 1; i < LOADS; i++) {
      await page.reload()
      loads.push(await settle(page, n))
    }
    const secs = (ms: number) => (ms / 1000).toFixed(2)
    console.log(
      `  ${label}, ${label.replace('samples', 'finished tasks')}; per load (count shown / list pages read / first row ` +
        `painted / settled, s): ${loads.map((l) => `${secs(l.countMs)}/${secs(l.listsMs)}/${secs(l.firstRowMs)}/${secs(l.settledMs)}`).join(', ')}; ` +
        `${loads[0]!.pages} list pages a load`,
    )
    const chain = (list: string) => {
      const of = loads.map((l) => l.chains.find((c) => c.list === list)!)
      const [span, wait] = [median(of.map((c) => c.spanMs)), median(of.map((c) => c.waitMs))]
      return `${list} ${of[0]!.pages} pages in ${secs(span)} s (waiting for the gateway ${secs(wait)} s, in the page ${secs(span - wait)} s)`
    }
    console.log(`  list pages, one after another (median of ${LOADS} loads): ${chain('samples')}; ${chain('tasks')}`)
    // Issue 11's budget for the count was 2 s at 1,000 (settled); issue 18's at 10,000: 1 s shown, 2 s settled.
    record(`${label}: gallery count shown (median of ${LOADS} loads)`, median(loads.map((l) => l.countMs)) / 1000, 's', 1)
    record(`${label}: the studio settled (median of ${LOADS} loads)`, median(loads.map((l) => l.settledMs)) / 1000, 's', 2)

    const dom = await page.evaluate(() => {
      const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL)
      let nodes = 0
      while (walker.nextNode()) nodes++
      return { videos: document.querySelectorAll('video').length, elements: document.querySelectorAll('*').length, nodes }
    })
    console.log(`  DOM: ${dom.videos} <video>, ${dom.elements} elements, ${dom.nodes} nodes`)
    record(`${label}: <video> elements in the DOM`, dom.videos, 'videos', 60)
    record(`${label}: elements in the DOM`, dom.elements, 'elements', 6000)

    const cdp = await context.newCDPSession(page)
    await cdp.send('HeapProfiler.collectGarbage')
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }
    record(`${label}: JS heap after GC`, heap.usedSize / 2 ** 20, 'MB', 150)

    // The frame rate stops at the display's 60 fps: how busy the page's main thread was while scrolling says how much
    // room is left under it (Chromium's own count of its main-thread task time).
    await cdp.send('Performance.enable')
    const mainThreadMs = async () =>
      ((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.find(
        (m) => m.name === 'TaskDuration',
      )!.value * 1000
    const scrollRuns = async () => {
      const runs = []
      for (let i = 0; i < SCROLLS; i++) {
        const before = await mainThreadMs()
        const run = await page.evaluate(scrollGallery)
        runs.push({ ...run, busy: (await mainThreadMs()) - before })
      }
      return runs
    }
    const describeRuns = (runs: Awaited<ReturnType<typeof scrollRuns>>) =>
      runs
        .map(
          (s) =>
            `${(1000 / s.mean).toFixed(1)} fps (${s.frames} frames, longest ${s.worst.toFixed(0)} ms, main thread busy ${Math.round(s.busy / 30)} %)`,
        )
        .join(', ')
    const scrolls = await scrollRuns()
    console.log(`  gallery scroll, per run: ${describeRuns(scrolls)}`)
    // As a designer scrolls with the wheel, the pointer rests over the list: each card passing under it plays (and
    // mounts its video) on the way. Shown, not budgeted.
    const list = (await page.getByRole('list', { name: 'Samples' }).boundingBox())!
    await page.mouse.move(list.x + list.width / 2, list.y + list.height / 2)
    console.log(`  gallery scroll, the pointer over the list: ${describeRuns(await scrollRuns())}`)
    await page.mouse.move(0, 0)
    // 55 fps is a mean frame interval of 18.2 ms.
    record(`${label}: gallery scroll, mean frame interval (median of ${SCROLLS}; 55 fps)`, median(scrolls.map((s) => s.mean)), 'ms', 18.2)
    await context.close()
  } finally {
    await server.close()
  }
}

export async function benchScale(dir: string, record: RecordFigure) {
  const browser = await chromium.launch(chromiumLaunchOptions)
  try {
    for (const n of SIZES) await atScale(browser, dir, n, record)
  } finally {
    await browser.close()
  }
}

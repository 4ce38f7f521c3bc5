/*
 * Issue 11's "no main-thread freeze": a 20 MB PNG frame (5000×4000, made here with ffmpeg) dropped on the First
 * frame zone of the built studio in headless Chromium, as a DataTransfer from the desktop would bring it. Per run
 * (a fresh profile each, so the frame is really checked, hashed, thumbnailed and stored): the longest main-thread
 * task (PerformanceObserver 'longtask') from the drop until the preview shows and the frame is kept in the gateway's
 * library (its PUT /api/library/frames/<sha> answered), and a second of quiet after; the longest Long Animation Frame
 * too where Chromium has the API. Median of 3.
 */
import { chromium, type Page } from '@playwright/test'
import { execFile } from 'node:child_process'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { chromiumLaunchOptions } from '../testing/chromium.ts'
import { findTools } from '../server/engine/ffmpeg.ts'
import { startBenchGateway } from './gateway.ts'

type RecordFigure = (name: string, value: number, unit: string, budget: number) => void

const RUNS = 3
const QUIET_MS = 1000
/** Where the page fetches the frame from: served by Playwright, so the bytes never cross as a base64 string. */
const FRAME_URL = '/__bench/drop-frame.png'
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

/**
 * A 5000×4000 PNG just under the 20 MB limit: a test pattern with light noise, so it neither compresses to
 * nothing nor goes over (alls=4 gives about 18.8 MB).
 */
async function makeFrame(dir: string): Promise<string> {
  const { ffmpeg } = await findTools()
  const out = join(dir, 'drop-frame.png')
  const pattern = 'testsrc2=size=5000x4000:rate=1,noise=alls=4:allf=u'
  await promisify(execFile)(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', pattern, '-frames:v', '1', '-pix_fmt', 'rgb24', out])
  return out
}

interface Run {
  longestTaskMs: number
  longestFrameMs: number | undefined
  storedMs: number
}

async function dropOnce(page: Page, url: string, bytes: Buffer): Promise<Run> {
  await page.route(`**${FRAME_URL}`, (route) => route.fulfill({ body: bytes, contentType: 'image/png' }))
  // tsx keeps function names with a `__name` helper, which the page lacks: this file's page functions need it there.
  await page.addInitScript('globalThis.__name ??= (f) => f')
  await page.goto(url)
  const zone = page.getByRole('button', { name: 'First frame', exact: true }).and(page.locator('div'))
  await zone.waitFor()
  // The file is made in the page before the watch starts: only the studio's own work is timed.
  const dataTransfer = await page.evaluateHandle(async (src) => {
    const blob = await (await fetch(src)).blob()
    const dt = new DataTransfer()
    dt.items.add(new File([blob], 'drop-frame.png', { type: 'image/png' }))
    return dt
  }, FRAME_URL)
  await page.evaluate(() => {
    const w = window as unknown as { dropWatch: { tasks: number[]; frames: number[]; start: number } }
    w.dropWatch = { tasks: [], frames: [], start: performance.now() }
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.dropWatch.tasks.push(e.duration)
    }).observe({ type: 'longtask' })
    if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame'))
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.dropWatch.frames.push(e.duration)
      }).observe({ type: 'long-animation-frame' })
  })
  // Kept: the gateway answered the frame's upload (read from the network, not taken from the UI's word).
  const kept = page.waitForResponse((r) => r.request().method() === 'PUT' && /\/api\/library\/frames\/[0-9a-f]{64}/.test(r.url()), {
    timeout: 60_000,
  })
  await zone.dispatchEvent('dragenter', { dataTransfer })
  await zone.dispatchEvent('dragover', { dataTransfer })
  await zone.dispatchEvent('drop', { dataTransfer })
  const answer = await kept
  if (!answer.ok()) throw new Error(`the dropped frame was not kept: ${answer.status()} ${await answer.text()}`)
  // Done: that, and the preview drawn.
  await page.waitForFunction(
    () => {
      const img = document.querySelector<HTMLImageElement>('[data-aspect] img')
      return img?.complete && img.naturalWidth > 0
    },
    undefined,
    { timeout: 60_000, polling: 50 },
  )
  const storedMs = await page.evaluate(() => performance.now() - (window as unknown as { dropWatch: { start: number } }).dropWatch.start)
  // A task that ends after the frame is stored (a late decode, a re-render) still counts: look a second longer.
  await page.waitForTimeout(QUIET_MS)
  const seen = await page.evaluate(() => {
    const w = window as unknown as { dropWatch: { tasks: number[]; frames: number[] } }
    const frames = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame') ? Math.max(0, ...w.dropWatch.frames) : null
    return { task: Math.max(0, ...w.dropWatch.tasks), frames }
  })
  return { longestTaskMs: seen.task, longestFrameMs: seen.frames ?? undefined, storedMs }
}

export async function benchDrop(dir: string, record: RecordFigure) {
  const file = await makeFrame(dir)
  const bytes = await readFile(file)
  console.log(`  frame: 5000×4000 PNG, ${((await stat(file)).size / 1e6).toFixed(1)} MB`)
  const browser = await chromium.launch(chromiumLaunchOptions)
  try {
    const runs: Run[] = []
    for (let i = 0; i < RUNS; i++) {
      // A fresh library each run too: one that holds the frame already is only asked, and keeps it again for nothing.
      const { server } = await startBenchGateway({ LOCAL_ENGINE_DATA_DIR: join(dir, `drop-engine-${i}`) })
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
      try {
        runs.push(await dropOnce(await context.newPage(), server.url, bytes))
      } finally {
        await context.close()
        await server.close()
      }
    }
    const fmt = (xs: (number | undefined)[]) => xs.map((x) => (x === undefined ? '–' : x.toFixed(0))).join(', ')
    console.log(
      `  longest task per run: ${fmt(runs.map((r) => r.longestTaskMs))} ms; longest animation frame: ${fmt(runs.map((r) => r.longestFrameMs))} ms; drop → stored: ${fmt(runs.map((r) => r.storedMs))} ms`,
    )
    record('20 MB PNG dropped: longest main-thread task (median of 3)', median(runs.map((r) => r.longestTaskMs)), 'ms', 50)
  } finally {
    await browser.close()
  }
}

/*
 * Issue 9's frame-lock figures: the spread of `currentTime` across the videos of a comparison while they play, for 2
 * and for 4 videos, over several runs. Four 8 s 720p local renders (a 2 × 2 sweep through the studio), then, per run,
 * a fresh load of /compare?samples=…, Play, and a reading of every playhead every 50 ms for 6 s of playback (the
 * first half second, while the videos start, is left out; a knock of 250 ms and its recovery are measured apart).
 * Spreads are read in one task in the page, as the e2e test reads them.
 */
import { chromium, type Page } from '@playwright/test'
import { join } from 'node:path'
import { chromiumLaunchOptions } from '../testing/chromium.ts'
import { startBenchGateway } from './gateway.ts'

type RecordFigure = (name: string, value: number, unit: string, budget: number) => void

const RUNS = 5
/** One frame at 24 fps, to a tenth of a millisecond: the budget of every spread. */
const FRAME_MS = Math.round(10_000 / 24) / 10
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

/** The sweep's four sample ids, from the board once every cell has its video. */
async function renderFour(page: Page, url: string): Promise<string[]> {
  await page.goto(url)
  await page.getByRole('button', { name: 'Try with sample frames' }).click()
  await page.getByRole('group', { name: 'Last frame' }).locator('img').waitFor()
  await page.getByLabel('Prompt', { exact: true }).fill('a kite')
  await page.getByRole('group', { name: 'Resolution', exact: true }).getByRole('radio', { name: '720p' }).check()
  await page.getByRole('switch', { name: 'Sweep' }).click()
  await page.getByLabel('Prompt variants').fill('a {red|blue} kite, slow zoom in')
  await page.getByLabel('Sweep seeds').fill('11, 22')
  await page.getByRole('button', { name: 'Run sweep' }).click()
  const board = page.getByRole('region', { name: /^Experiment: / })
  const boxes = board.getByRole('checkbox', { name: 'Select' })
  await boxes.nth(3).waitFor({ timeout: 180_000 })
  for (let i = 0; i < 4; i++) await boxes.nth(i).check()
  await page.getByRole('button', { name: 'Compare 4' }).click()
  await page.getByRole('region', { name: 'Comparison' }).waitFor()
  return (new URL(page.url()).searchParams.get('samples') ?? '').split(',').map(decodeURIComponent)
}

interface Run {
  median: number
  worst: number
  /** After one video is knocked 250 ms off: how long until the spread is within a frame again. */
  recoverMs: number
}

async function oneRun(page: Page, url: string, ids: string[]): Promise<Run> {
  await page.goto(`${url}/compare?samples=${ids.map(encodeURIComponent).join(',')}`)
  const videos = page.getByRole('region', { name: 'Comparison' }).locator('video')
  await page.waitForFunction(
    (n) => {
      const vs = [...(document.getElementById('comparison-title')?.closest('section')?.querySelectorAll('video') ?? [])]
      return vs.length === n && vs.every((v) => v.readyState >= 3)
    },
    ids.length,
    { timeout: 30_000 },
  )
  await page.getByRole('button', { name: 'Play' }).click()
  const spreads = await videos.first().evaluate(
    (_, { sampleMs, durationMs }) =>
      new Promise<number[]>((resolve) => {
        const vs = [...document.getElementById('comparison-title')!.closest('section')!.querySelectorAll('video')]
        const out: number[] = []
        const start = performance.now()
        const timer = setInterval(() => {
          const t = vs.map((v) => v.currentTime)
          if (performance.now() - start > 500) out.push((Math.max(...t) - Math.min(...t)) * 1000)
          if (performance.now() - start > durationMs) {
            clearInterval(timer)
            resolve(out)
          }
        }, sampleMs)
      }),
    { sampleMs: 50, durationMs: 6500 },
  )
  const recoverMs = await videos.first().evaluate(
    () =>
      new Promise<number>((resolve) => {
        const vs = [...document.getElementById('comparison-title')!.closest('section')!.querySelectorAll('video')]
        const knocked = vs[1]!
        knocked.currentTime = Math.min(knocked.duration - 1, knocked.currentTime + 0.25)
        const start = performance.now()
        const timer = setInterval(() => {
          const t = vs.map((v) => v.currentTime)
          const inFrame = Math.max(...t) - Math.min(...t) <= 1 / 24 && !vs.some((v) => v.seeking)
          if (inFrame || performance.now() - start > 10_000) {
            clearInterval(timer)
            resolve(performance.now() - start)
          }
        }, 10)
      }),
  )
  await page.getByRole('button', { name: 'Pause' }).click()
  return { median: median(spreads), worst: Math.max(...spreads), recoverMs }
}

export async function benchCompare(dir: string, record: RecordFigure) {
  const { server } = await startBenchGateway({ LOCAL_ENGINE_PACE_MS: '300', LOCAL_ENGINE_DATA_DIR: join(dir, 'compare-engine') })
  const browser = await chromium.launch(chromiumLaunchOptions)
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    const ids = await renderFour(page, server.url)
    for (const n of [2, 4]) {
      const runs: Run[] = []
      for (let r = 0; r < RUNS; r++) runs.push(await oneRun(page, server.url, ids.slice(0, n)))
      const detail = runs.map((r) => `${r.median.toFixed(1)}/${r.worst.toFixed(1)}`).join(', ')
      console.log(
        `     ${n} videos, per run (median/worst ms): ${detail}; knock recovery ms: ${runs.map((r) => r.recoverMs.toFixed(0)).join(', ')}`,
      )
      record(`compare, ${n} videos playing: median spread (median of ${RUNS} runs)`, median(runs.map((r) => r.median)), 'ms', FRAME_MS)
      record(`compare, ${n} videos playing: worst spread (of ${RUNS} runs)`, Math.max(...runs.map((r) => r.worst)), 'ms', FRAME_MS)
      record(`compare, ${n} videos: back within a frame after a 250 ms knock (median)`, median(runs.map((r) => r.recoverMs)), 'ms', 3000)
    }
  } finally {
    await browser.close()
    await server.close()
  }
}

/*
 * Issue 11's polling figures, counted as the browser sends them (page.on('request')), all cases at once in their own
 * browser contexts so the part takes about as long as its longest task:
 *   (a) one task of 60 s (30 s queued, 30 s processing) on a stub jiekou.ai that sends progress but no ETA;
 *   (b) the same on a stub that sends an ETA;
 *   (c) one task on the local engine, paced to 30 s queued and 30 s processing (LOCAL_ENGINE_PACE_MS=30000; its
 *       render, a 4 s 720p first/last sample, takes a few seconds, well inside the pacing);
 *   (d) a 4 × 4 sweep, 16 tasks of 60 s in flight at once, on a stub without an ETA: the most task-result requests
 *       in any 1 s, by the browser's own start times.
 * Per task: its task-result requests, and how late the video was shown after the task's end (the stub's: its
 * submit as the stub logged it plus 60 s; the engine's: its engine.task.done log line) to the first sample card
 * showing its video (the provider's, or at rest its stored poster).
 */
import { chromium, type Browser } from '@playwright/test'
import { join } from 'node:path'
import { chromiumLaunchOptions } from '../testing/chromium.ts'
import { createLogger } from '../server/logger.ts'
import type { StubUpstream } from '../testing/stub-upstream.ts'
import { ensureBuilt } from '../server/build.ts'
import { root, startBenchGateway } from './gateway.ts'
import {
  busiestWindow,
  openStudio,
  shownAt,
  startedAt,
  startStub,
  stubGatewayEnv,
  stubSubmits,
  trySampleFrames,
  type RecordFigure,
} from './studio-page.ts'

const QUEUED_MS = 30_000
const PROCESSING_MS = 30_000
const TASK_MS = QUEUED_MS + PROCESSING_MS
const SWEEP_TASKS = 16
const TIMEOUT_MS = 240_000

interface OneTask {
  polls: number
  lateMs: number
  detail: string
}

/** One task through the studio: Generate, then its first video shown; the task's end is asked of `endOf`. */
async function oneTask(browser: Browser, url: string, jiekou: boolean, endOf: (taskId: string) => Promise<number>): Promise<OneTask> {
  const studio = await openStudio(browser, url, { jiekou })
  try {
    const { page } = studio
    await trySampleFrames(page)
    await page.getByLabel('Prompt', { exact: true }).fill('a kite, slow push in')
    const submitted = page.waitForResponse((r) => r.request().method() === 'POST' && /\/v3\/async\/veo-/.test(r.url()), {
      timeout: 30_000,
    })
    await page.getByRole('button', { name: /^Generate/ }).click()
    const { task_id: taskId } = (await (await submitted).json()) as { task_id: string }
    const shown = await shownAt(page, TIMEOUT_MS)
    const end = await endOf(taskId)
    const mine = studio.polls.filter((p) => new URL(p.request.url()).searchParams.get('task_id') === taskId)
    const gaps = mine.map(startedAt).map((t, i, all) => (i ? ((t - all[i - 1]!) / 1000).toFixed(1) : '0'))
    return { polls: mine.length, lateMs: shown - end, detail: `polls at +s: ${gaps.join(', ')}` }
  } finally {
    await studio.close()
  }
}

/** The stub's end of a task: its submit as the stub logged it, plus the timing. */
const stubEnd = (stub: StubUpstream) => async (taskId: string) => {
  const submit = (await stubSubmits(stub)).find((s) => s.taskId === taskId)
  if (!submit) throw new Error(`the stub never logged the submit of ${taskId}`)
  return submit.at + TASK_MS
}

/** 16 tasks at once: a 4 × 4 sweep, sent as fast as the studio allows (Requests per minute at its highest). */
async function sixteen(browser: Browser, url: string, stub: StubUpstream) {
  const studio = await openStudio(browser, url, {
    jiekou: true,
    settings: { requestsPerMinute: 600, confirmSweepAbove: 100, prices: {} },
  })
  try {
    const { page } = studio
    await trySampleFrames(page)
    await page.getByRole('switch', { name: 'Sweep' }).click()
    await page.getByLabel('Prompt variants').fill('a red kite\na blue kite\na green kite\na white kite')
    await page.getByLabel('Sweep seeds').fill('11, 22, 33, 44')
    await page.getByRole('button', { name: 'Run sweep' }).click()
    // Done when each task has had a task-result answered SUCCEED, as the page received it. (Its start time is no
    // proof: a poll that leaves a few milliseconds before the end reaches the stub after it and ends the task.)
    const deadline = Date.now() + TIMEOUT_MS
    const taskOf = (p: (typeof studio.polls)[number]) => new URL(p.request.url()).searchParams.get('task_id') ?? ''
    const succeeded = new Set<string>()
    const read = new Set<(typeof studio.polls)[number]>()
    for (;;) {
      for (const p of studio.polls) {
        if (read.has(p)) continue
        const response = await p.request.response().catch(() => null)
        if (!response) continue
        read.add(p)
        const body = (await response.json().catch(() => undefined)) as { task?: { status?: string } } | undefined
        if (body?.task?.status === 'TASK_STATUS_SUCCEED') succeeded.add(taskOf(p))
      }
      const submits = await stubSubmits(stub)
      if (submits.length >= SWEEP_TASKS && submits.every((s) => succeeded.has(s.taskId))) break
      if (Date.now() > deadline) {
        // Each task not seen to end, with the moments (s after its submit) it was polled: where the studio stopped.
        const open = submits.filter((s) => !succeeded.has(s.taskId))
        const polledAt = (s: (typeof submits)[number]) =>
          studio.polls.filter((p) => taskOf(p) === s.taskId).map((p) => ((startedAt(p) - s.at) / 1000).toFixed(1))
        const seen = open.map((s) => `${s.taskId}: polled at +${polledAt(s).join(', +') || ' (never)'} s`).join('; ')
        throw new Error(`16 tasks: ${submits.length} sent, ${succeeded.size} seen to end. ${seen}`)
      }
      await page.waitForTimeout(1000)
    }
    const submits = await stubSubmits(stub)
    const sentOver = (Math.max(...submits.map((s) => s.at)) - Math.min(...submits.map((s) => s.at))) / 1000
    const times = studio.polls.map(startedAt).sort((x, y) => x - y)
    const gaps = times.slice(1).map((t, i) => t - times[i]!)
    return { busiest: busiestWindow(times, 1000), polls: times.length, sentOver, closest: Math.min(...gaps) }
  } finally {
    await studio.close()
  }
}

export async function benchPolls(dir: string, record: RecordFigure) {
  await ensureBuilt(root)
  const timing = { queuedMs: QUEUED_MS, processingMs: PROCESSING_MS }
  const stubs = [
    await startStub({ ...timing, eta: false }),
    await startStub({ ...timing, eta: true }),
    await startStub({ ...timing, eta: false }),
  ]
  const [noEta, withEta, many] = stubs as [StubUpstream, StubUpstream, StubUpstream]
  const engineDone = new Map<string, { at: number; ms: number }>()
  const logger = createLogger((line) => {
    const e = JSON.parse(line) as { event: string; task_id?: string; time: string; ms?: number }
    if (e.event === 'engine.task.done' && e.task_id) engineDone.set(e.task_id, { at: Date.parse(e.time), ms: e.ms ?? 0 })
  })
  const gateways = [
    await startBenchGateway(stubGatewayEnv(noEta, join(dir, 'polls-a'))),
    await startBenchGateway(stubGatewayEnv(withEta, join(dir, 'polls-b'))),
    await startBenchGateway({ LOCAL_ENGINE_PACE_MS: String(QUEUED_MS), LOCAL_ENGINE_DATA_DIR: join(dir, 'polls-c') }, { logger }),
    await startBenchGateway(stubGatewayEnv(many, join(dir, 'polls-d'))),
  ]
  const [a, b, c, d] = gateways.map((g) => g.server.url) as [string, string, string, string]
  const browser = await chromium.launch(chromiumLaunchOptions)
  try {
    const engineEnd = async (taskId: string) => {
      const done = engineDone.get(taskId)
      if (!done) throw new Error(`the engine logged no end for ${taskId}`)
      return done.at
    }
    const [noEtaRun, etaRun, engineRun, many16] = await Promise.all([
      oneTask(browser, a, true, stubEnd(noEta)),
      oneTask(browser, b, true, stubEnd(withEta)),
      oneTask(browser, c, false, engineEnd),
      sixteen(browser, d, many),
    ])
    const engineMs = [...engineDone.values()].map((e) => e.ms)
    const cases = [
      ['stub without an ETA', noEtaRun],
      ['stub with an ETA', etaRun],
      [`local engine (pace 30 s; processing took ${((engineMs[0] ?? 0) / 1000).toFixed(1)} s)`, engineRun],
    ] as const
    for (const [name, run] of cases) {
      console.log(`  ${name}: ${run.detail}; video shown ${(run.lateMs / 1000).toFixed(2)} s after the end`)
      record(`60 s task, ${name}: task-result requests`, run.polls, 'polls', 10)
      record(`60 s task, ${name}: video shown after the task's end`, run.lateMs / 1000, 's', 1)
    }
    const { busiest } = many16
    const apart = busiest.items.map((t) => `+${(t - busiest.items[0]!).toFixed(0)}`).join(', ')
    console.log(
      `  16 tasks (sent over ${many16.sentOver.toFixed(1)} s): ${many16.polls} task-result requests in all; closest two ` +
        `${many16.closest.toFixed(0)} ms apart; the busiest second's at ${apart} ms`,
    )
    record('16 tasks in flight: most task-result requests in any 1 s', busiest.count, 'requests', 2)
  } finally {
    await browser.close()
    for (const g of gateways) await g.server.close()
    for (const s of stubs) await s.close()
  }
}

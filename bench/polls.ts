/*
 * Issue 18's polling figures, counted where they cost: at the stub jiekou.ai, which logs every call it gets
 * (testing/stub-upstream.ts). The gateway's runner submits, polls (src/api/poll-interval.ts: the submit is the rule's
 * first sample, the first poll 4 s after it) and archives; the studio only reads the library. Each case has a stub and
 * a gateway of its own (a child process: bench/gateway-main.ts), and all run at once, so the part takes about as long
 * as its longest task:
 *   one task of 60 s (30 s queued, 30 s processing), on a stub that sends no ETA and on one that does, with
 *     0 tabs open (handed to the gateway through its API, as the studio's Generate hands it: bench/studio-request.ts),
 *     1 tab (Generate pressed in it, the tab left open on the gallery) and
 *     3 tabs (three tabs of one profile on the gallery, Generate pressed in the first):
 *     the task's task-result calls at the stub, counted from its submit until 3 s after its samples were archived;
 *     besides them, each tab's reachability probe of the provider (a task-result call for an id no task has);
 *   16 tasks of a 4 × 4 sweep in flight at once (no ETA, 600 requests a minute): the most task-result calls the stub
 *     got in any 1 s;
 * then, alone, the video shown after the provider's SUCCEED on the local engine (archive included): three tasks one
 * after another (LOCAL_ENGINE_PACE_MS 8 s, so each stays queued and renders for a while), with a tab open on the
 * gallery; from the engine's engine.task.done line (the moment it answers SUCCEED) to the frame in which the sample's
 * card shows its poster (or its video's frame) in the tab, median of 3.
 */
import { chromium, type Browser, type Page } from '@playwright/test'
import { join } from 'node:path'
import { chromiumLaunchOptions } from '../testing/chromium.ts'
import type { StubUpstream } from '../testing/stub-upstream.ts'
import { PROBE_TASK_ID } from '../server/provider-status.ts'
import { launchBenchGateway, type BenchGatewayProcess } from './gateway.ts'
import { finishedTask, setRequestsPerMinute, submitAsStudio, taskOfRequest } from './studio-request.ts'
import {
  busiestWindow,
  median,
  openStudio,
  shownAt,
  startStub,
  stubGatewayEnv,
  stubLog,
  trySampleFrames,
  type RecordFigure,
  type StudioPage,
} from './studio-page.ts'

const QUEUED_MS = 30_000
const PROCESSING_MS = 30_000
const TASK_MS = QUEUED_MS + PROCESSING_MS
/** Calls that come after the archive still count: the count is read this long after it. */
const AFTER_MS = 3_000
const TABS = [0, 1, 3] as const
const SWEEP_TASKS = 16
const LOCAL_PACE_MS = Number(process.env.BENCH_LOCAL_PACE_MS ?? 8_000)
const LOCAL_RUNS = 3

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const s = (ms: number) => (ms / 1000).toFixed(1)

/** Generate pressed in a tab, on the sample frames; the id of the request it handed to the gateway. */
async function generate(page: Page, prompt: string): Promise<string> {
  await trySampleFrames(page)
  await page.getByLabel('Prompt', { exact: true }).fill(prompt)
  const posted = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/library/requests', {
    timeout: 60_000,
  })
  await page.getByRole('button', { name: /^Generate/ }).click()
  return ((await posted).postDataJSON() as { requests: { id: string }[] }).requests[0]!.id
}

interface Counted {
  name: string
  /** The task's task-result calls at the stub, and when each came (ms after the submit reached the stub). */
  polls: number[]
  /** The tabs' reachability probes of the provider while the case ran. */
  probes: number
  /** task-result requests the tabs sent themselves (none: the gateway polls). */
  fromTabs: number
  /** From the task's end at the stub (submit + 60 s) to its archive, and to its card showing it in the first tab. */
  archivedMs: number
  shownMs?: number
}

interface Rig {
  stub: StubUpstream
  g: BenchGatewayProcess
  close(): Promise<void>
}

/** A stub jiekou.ai with the 60 s timing and a gateway of its own in front of it. */
async function rig(dir: string, name: string, eta: boolean): Promise<Rig> {
  const stub = await startStub({ queuedMs: QUEUED_MS, processingMs: PROCESSING_MS, eta })
  try {
    const g = await launchBenchGateway(stubGatewayEnv(stub, join(dir, `polls-${name}`)))
    return {
      stub,
      g,
      close: async () => {
        await g.close()
        await stub.close()
      },
    }
  } catch (err) {
    await stub.close()
    throw err
  }
}

/** One 60 s task on its rig, with `tabs` tabs of the studio open. */
async function oneTask(browser: Browser, { stub, g }: Rig, eta: boolean, tabs: number): Promise<Counted> {
  const name = `stub ${eta ? 'with' : 'without'} an ETA, ${tabs} tab${tabs === 1 ? '' : 's'} open`
  let studio: StudioPage | undefined
  try {
    const from = Date.now()
    let requestId: string
    if (tabs === 0) [requestId] = (await submitAsStudio(g.url, [{ provider: 'jiekou', prompt: 'a kite, slow push in' }])) as [string]
    else {
      studio = await openStudio(browser, g.url, { jiekou: true, tabs })
      for (const page of studio.pages) await page.getByRole('region', { name: 'Gallery' }).waitFor({ timeout: 60_000 })
      // Generate is pressed in the first tab, which is then the one in front (as a designer's would be).
      await studio.page.bringToFront()
      requestId = await generate(studio.page, 'a kite, slow push in')
    }
    const taskRecordId = await taskOfRequest(g.url, requestId)
    const task = await finishedTask(g.url, taskRecordId)
    if (task.status !== 'TASK_STATUS_SUCCEED') throw new Error(`${name}: the task ended ${task.status}`)
    const shown = studio ? await shownAt(studio.page, 30_000, `${taskRecordId}#0`) : undefined
    await sleep(AFTER_MS)
    const log = await stubLog(stub)
    const taskId = taskRecordId.slice('jiekou:'.length)
    const submit = log.find((e) => e.kind === 'submit' && e.taskId === taskId)
    if (!submit) throw new Error(`${name}: the stub never logged the submit of ${taskId}`)
    const end = submit.at + TASK_MS
    return {
      name,
      polls: log.filter((e) => e.kind === 'task-result' && e.taskId === taskId).map((e) => e.at - submit.at),
      probes: log.filter((e) => e.kind === 'task-result' && e.taskId === PROBE_TASK_ID && e.at >= from).length,
      fromTabs: studio?.polls.length ?? 0,
      archivedMs: task.finishedAt - end,
      ...(shown === undefined ? {} : { shownMs: shown - end }),
    }
  } finally {
    await studio?.close()
  }
}

/** 16 tasks of 60 s at once: a 4 × 4 sweep (4 prompts × 4 seeds) handed to the gateway, sent as fast as it allows. */
async function sixteen(dir: string) {
  const { stub, g, close } = await rig(dir, 'sweep', false)
  try {
    await setRequestsPerMinute(g.url, 600)
    const prompts = ['a red kite', 'a blue kite', 'a green kite', 'a white kite']
    const cells = Array.from({ length: SWEEP_TASKS }, (_, i) => ({
      provider: 'jiekou' as const,
      prompt: prompts[i % 4]!,
      seed: [11, 22, 33, 44][Math.floor(i / 4)]!,
      priority: 'sweep' as const,
    }))
    const ids = await submitAsStudio(g.url, cells)
    const tasks = await Promise.all(ids.map((id) => taskOfRequest(g.url, id, 300_000)))
    await Promise.all(tasks.map((t) => finishedTask(g.url, t, 300_000)))
    await sleep(AFTER_MS)
    const log = await stubLog(stub)
    const ours = new Set(tasks.map((t) => t.slice('jiekou:'.length)))
    const submits = log.filter((e) => e.kind === 'submit' && ours.has(e.taskId ?? '')).map((e) => e.at)
    const polls = log.filter((e) => e.kind === 'task-result' && ours.has(e.taskId ?? ''))
    const perTask = [...ours].map((id) => polls.filter((p) => p.taskId === id).length)
    const times = polls.map((p) => p.at).sort((a, b) => a - b)
    return {
      busiest: busiestWindow(times, 1000),
      polls: times.length,
      perTask,
      sentOver: (Math.max(...submits) - Math.min(...submits)) / 1000,
      closest: Math.min(...times.slice(1).map((t, i) => t - times[i]!)),
    }
  } finally {
    await close()
  }
}

/** The local engine's SUCCEED to the sample's card showing it in an open tab, for LOCAL_RUNS tasks one after another. */
async function localShown(browser: Browser, dir: string) {
  const g = await launchBenchGateway({ LOCAL_ENGINE_PACE_MS: String(LOCAL_PACE_MS), LOCAL_ENGINE_DATA_DIR: join(dir, 'polls-local') })
  const studio = await openStudio(browser, g.url)
  try {
    await studio.page.getByRole('region', { name: 'Gallery' }).waitFor()
    const runs: { shownMs: number; archivedMs: number; renderMs: number }[] = []
    for (let i = 0; i < LOCAL_RUNS; i++) {
      const [requestId] = (await submitAsStudio(g.url, [{ provider: 'local', prompt: `run ${i + 1}: a kite, slow push in` }])) as [string]
      const taskRecordId = await taskOfRequest(g.url, requestId)
      const task = await finishedTask(g.url, taskRecordId)
      if (task.status !== 'TASK_STATUS_SUCCEED') throw new Error(`local engine: the task ended ${task.status}`)
      const shown = await shownAt(studio.page, 30_000, `${taskRecordId}#0`)
      const engineId = taskRecordId.slice('local:'.length)
      const done = g.events.find((e) => e.event === 'engine.task.done' && e.task_id === engineId)
      const archived = g.events.find((e) => e.event === 'runner.archived' && e.task === taskRecordId)
      if (!done || !archived) throw new Error(`local engine: no done or archived line for ${taskRecordId}`)
      const succeeded = Date.parse(done.time)
      runs.push({ shownMs: shown - succeeded, archivedMs: Date.parse(archived.time) - succeeded, renderMs: Number(done.ms) })
    }
    return runs
  } finally {
    await studio.close()
    await g.close()
  }
}

export async function benchPolls(dir: string, record: RecordFigure) {
  const browser = await chromium.launch(chromiumLaunchOptions)
  const failures: unknown[] = []
  try {
    // The six cases' gateways start one after another (seven starts at once on two cores took minutes), then the
    // six tasks run at once: they mostly wait, and each is counted at its own stub.
    const cases = [false, true].flatMap((eta) => TABS.map((tabs) => ({ eta, tabs })))
    const rigs: Rig[] = []
    try {
      for (const c of cases) rigs.push(await rig(dir, `${c.eta ? 'eta' : 'no-eta'}-${c.tabs}`, c.eta))
      await Promise.all(
        cases.map(async (c, i) => {
          try {
            const counted = await oneTask(browser, rigs[i]!, c.eta, c.tabs)
            const when = counted.polls.map((t) => `+${s(t)}`).join(', ')
            const shown = counted.shownMs === undefined ? '' : `, shown in the tab ${s(counted.shownMs)} s after it`
            console.log(
              `  ${counted.name}: polled at ${when} s; archived ${s(counted.archivedMs)} s after the task's end${shown}; ` +
                `${counted.probes} reachability probe(s) from the tabs; ${counted.fromTabs} task-result request(s) sent by the tabs`,
            )
            record(`60 s task, ${counted.name}: provider task-result calls`, counted.polls.length, 'calls', 8)
          } catch (err) {
            console.log(`  FAILED ${JSON.stringify(c)}: ${(err as Error).message}`)
            failures.push(err)
          }
        }),
      )
    } finally {
      for (const r of rigs) await r.close()
    }

    try {
      const many = await sixteen(dir)
      const { busiest } = many
      const apart = busiest.items.map((t) => `+${(t - busiest.items[0]!).toFixed(0)}`).join(', ')
      console.log(
        `  16 tasks (sent over ${many.sentOver.toFixed(1)} s): ${many.polls} task-result calls in all (per task ` +
          `${Math.min(...many.perTask)}–${Math.max(...many.perTask)}); closest two ${many.closest} ms apart; the busiest second's at ${apart} ms`,
      )
      record('16 tasks in flight: most provider task-result calls in any 1 s', busiest.count, 'calls', 2)
    } catch (err) {
      console.log(`  FAILED 16 tasks: ${(err as Error).message}`)
      failures.push(err)
    }

    const runs = await localShown(browser, dir)
    console.log(
      `  local engine (pace ${s(LOCAL_PACE_MS)} s), per task: ` +
        runs
          .map(
            (r) => `render ${s(r.renderMs)} s, archived +${(r.archivedMs / 1000).toFixed(2)} s, shown +${(r.shownMs / 1000).toFixed(2)} s`,
          )
          .join('; '),
    )
    record(
      `video shown after the provider's SUCCEED, archive included (local engine, median of ${LOCAL_RUNS})`,
      median(runs.map((r) => r.shownMs)) / 1000,
      's',
      2,
    )
  } finally {
    await browser.close()
  }
  if (failures.length) throw failures[0]
}

import type { Browser, Page, Request } from '@playwright/test'
import { startStubUpstream, type LogEntry, type StubUpstream, type Timing } from '../testing/stub-upstream.ts'

/*
 * What the network parts of the bench share: a stub jiekou.ai with a given timing and its log, the environment of a
 * gateway whose runner sends to it, and the studio opened in a fresh profile in one or more tabs (jiekou.ai or the
 * local engine chosen, any task-result request a tab sends itself counted, and the moment each sample card first
 * shows its picture noted in the page).
 */

export type RecordFigure = (name: string, value: number, unit: string, budget: number, better?: 'lower' | 'higher') => void

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

export async function startStub(timing: Partial<Timing>): Promise<StubUpstream> {
  const stub = await startStubUpstream()
  const res = await fetch(`${stub.url}/__stub/timing`, { method: 'POST', body: JSON.stringify(timing) })
  if (!res.ok) throw new Error(`stub timing: ${res.status}`)
  return stub
}

/** The gateway in front of a stub: it holds a key (JIEKOU_API_KEY), and no submit limit of its own gets in the way. */
export const stubGatewayEnv = (stub: StubUpstream, dataDir: string): Record<string, string> => ({
  JIEKOU_BASE_URL: stub.url,
  JIEKOU_API_KEY: 'x',
  GATEWAY_CLIENT_RPM: '0',
  JIEKOU_RPM: '0',
  LOCAL_ENGINE_DATA_DIR: dataDir,
})

/** Every contract request the stub saw (testing/stub-upstream.ts): submits and task results, with when and how answered. */
export async function stubLog(stub: StubUpstream): Promise<LogEntry[]> {
  return (await (await fetch(`${stub.url}/__stub/log`)).json()) as LogEntry[]
}

/** A submit that reached the stub (from the gateway's runner), as the stub logged it. */
export async function stubSubmits(stub: StubUpstream): Promise<{ taskId: string; at: number }[]> {
  return (await stubLog(stub))
    .filter((e) => e.kind === 'submit' && e.status === 200 && e.taskId)
    .map((e) => ({ taskId: e.taskId!, at: e.at }))
}

/**
 * In the page, from its first script: when (Date.now()) each sample card first shows a picture, by its sample id: its
 * poster image loaded, or its video with a frame to show (a card holds a <video> at rest when there is no poster).
 * Checked at every animation frame, so the moment is the frame it was painted in, within 16 ms.
 */
function watchShown() {
  // tsx keeps function names with a `__name` helper, which the page lacks.
  // oxlint-disable-next-line no-underscore-dangle
  ;(globalThis as { __name?: unknown }).__name ??= (f: unknown) => f
  const w = window as unknown as { benchShown?: Record<string, number> }
  const shown: Record<string, number> = (w.benchShown = {})
  const check = () => {
    for (const card of document.querySelectorAll<HTMLElement>('[aria-label^="Sample:"][data-sample-id]')) {
      const id = card.dataset.sampleId!
      if (shown[id] !== undefined) continue
      const img = card.querySelector('img')
      const video = card.querySelector('video')
      if ((img && img.complete && img.naturalWidth > 0) || (video && video.readyState >= 2)) shown[id] = Date.now()
    }
    requestAnimationFrame(check)
  }
  requestAnimationFrame(check)
}

export interface StudioPage {
  /** The first tab; `pages` are all of them (one context: one profile). */
  page: Page
  pages: Page[]
  /** Every task-result request a tab sent itself (on the gateway's library, none should), with when it was seen. */
  polls: { request: Request; seenAt: number }[]
  close(): Promise<void>
}

/** The studio's kept choice of provider (connection-store.ts, version 1: the provider only; the gateway keeps the key). */
const JIEKOU = JSON.stringify({ state: { provider: 'jiekou' }, version: 1 })

/** The studio in a fresh profile, in `tabs` tabs; `jiekou` chooses jiekou.ai as the provider (else the local engine). */
export async function openStudio(
  browser: Browser,
  url: string,
  { jiekou = false, tabs = 1 }: { jiekou?: boolean; tabs?: number } = {},
): Promise<StudioPage> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  const stored = jiekou ? { 'veo-studio.connection': JIEKOU } : {}
  await context.addInitScript((items) => {
    for (const [k, v] of Object.entries(items)) if (!localStorage.getItem(k)) localStorage.setItem(k, v)
  }, stored)
  await context.addInitScript(watchShown)
  const polls: StudioPage['polls'] = []
  context.on('request', (request) => {
    if (new URL(request.url()).pathname.endsWith('/v3/async/task-result')) polls.push({ request, seenAt: Date.now() })
  })
  const pages: Page[] = []
  for (let i = 0; i < tabs; i++) {
    const page = await context.newPage()
    await page.goto(url)
    pages.push(page)
  }
  return { page: pages[0]!, pages, polls, close: () => context.close() }
}

/** When the browser started a request (its own clock, epoch ms), or when the bench saw it if the browser did not say. */
export function startedAt({ request, seenAt }: StudioPage['polls'][number]): number {
  const t = request.timing().startTime
  return t > 0 ? t : seenAt
}

export async function trySampleFrames(page: Page) {
  await page.getByRole('button', { name: 'Try with sample frames' }).click()
  await page.getByRole('group', { name: 'Last frame' }).locator('img').waitFor()
}

/**
 * Waits for a sample card to show its picture (the sample `sampleId`, or any); returns when it appeared (epoch ms,
 * the page's clock, which is this machine's).
 */
export async function shownAt(page: Page, timeout: number, sampleId?: string): Promise<number> {
  const at = await page.waitForFunction(
    (id) => {
      const shown = (window as unknown as { benchShown?: Record<string, number> }).benchShown ?? {}
      return id === undefined ? (Object.values(shown).sort((a, b) => a - b)[0] ?? false) : (shown[id] ?? false)
    },
    sampleId,
    { timeout, polling: 100 },
  )
  return (await at.jsonValue()) as number
}

/** The most items of `times` (ms) inside any window of `windowMs`, the window open at its end, and those items. */
export function busiestWindow(times: readonly number[], windowMs: number): { count: number; items: number[] } {
  const t = [...times].sort((a, b) => a - b)
  let best = { count: 0, items: [] as number[] }
  for (let i = 0, j = 0; j < t.length; j++) {
    while (t[j]! - t[i]! >= windowMs) i++
    if (j - i + 1 > best.count) best = { count: j - i + 1, items: t.slice(i, j + 1) }
  }
  return best
}

import type { Browser, Page, Request } from '@playwright/test'
import { startStubUpstream, type StubUpstream, type Timing } from '../testing/stub-upstream.ts'

/*
 * What the network parts of the bench share: a stub jiekou.ai with a given timing, the environment of a gateway
 * that forwards to it, and the studio opened in a fresh context (jiekou.ai or the local engine chosen, task-result
 * requests counted as the browser sends them, and the moment a sample card first shows its video noted in the page).
 */

export type RecordFigure = (name: string, value: number, unit: string, budget: number, better?: 'lower' | 'higher') => void

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

export async function startStub(timing: Partial<Timing>): Promise<StubUpstream> {
  const stub = await startStubUpstream()
  const res = await fetch(`${stub.url}/__stub/timing`, { method: 'POST', body: JSON.stringify(timing) })
  if (!res.ok) throw new Error(`stub timing: ${res.status}`)
  return stub
}

/** The gateway in front of a stub: it holds a key, and no submit limit of its own gets in the way of the figures. */
export const stubGatewayEnv = (stub: StubUpstream, dataDir: string): Record<string, string> => ({
  JIEKOU_BASE_URL: stub.url,
  JIEKOU_API_KEY: 'x',
  GATEWAY_CLIENT_RPM: '0',
  JIEKOU_RPM: '0',
  LOCAL_ENGINE_DATA_DIR: dataDir,
})

/** A submit the studio sent, as the stub logged it. */
export async function stubSubmits(stub: StubUpstream): Promise<{ taskId: string; at: number }[]> {
  const log = (await (await fetch(`${stub.url}/__stub/log`)).json()) as { kind: string; taskId?: string; at: number; status: number }[]
  return log.filter((e) => e.kind === 'submit' && e.status === 200 && e.taskId).map((e) => ({ taskId: e.taskId!, at: e.at }))
}

/**
 * In the page, from its first script: when (Date.now()) a sample card first shows its video: the video itself (the
 * provider's, before it is stored) or, at rest, its stored poster (a card holds a <video> only while it plays).
 */
function watchShown() {
  // tsx keeps function names with a `__name` helper, which the page lacks.
  // oxlint-disable-next-line no-underscore-dangle
  ;(globalThis as { __name?: unknown }).__name ??= (f: unknown) => f
  const w = window as unknown as { benchShownAt?: number }
  const observer = new MutationObserver(() => {
    if (w.benchShownAt !== undefined || !document.querySelector('[aria-label^="Sample:"] :is(video[src], img[src])')) return
    w.benchShownAt = Date.now()
    observer.disconnect()
  })
  document.addEventListener('DOMContentLoaded', () =>
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['src'] }),
  )
}

export interface StudioPage {
  page: Page
  /** Every task-result request the page sent, with the moment (epoch ms) the browser started it. */
  polls: { request: Request; seenAt: number }[]
  close(): Promise<void>
}

const JIEKOU = JSON.stringify({ state: { provider: 'jiekou', rememberKey: false, apiKey: '' }, version: 0 })

/** The studio in a fresh profile; `settings` is the studio's saved settings (Requests per minute and the like). */
export async function openStudio(
  browser: Browser,
  url: string,
  { jiekou = false, settings }: { jiekou?: boolean; settings?: Record<string, unknown> } = {},
): Promise<StudioPage> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  const page = await context.newPage()
  const stored = {
    ...(jiekou ? { 'veo-studio.connection': JIEKOU } : {}),
    ...(settings ? { 'veo-studio.settings': JSON.stringify({ state: settings, version: 1 }) } : {}),
  }
  await page.addInitScript((items) => {
    for (const [k, v] of Object.entries(items)) if (!localStorage.getItem(k)) localStorage.setItem(k, v)
  }, stored)
  await page.addInitScript(watchShown)
  const polls: StudioPage['polls'] = []
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.endsWith('/v3/async/task-result')) polls.push({ request, seenAt: Date.now() })
  })
  await page.goto(url)
  return { page, polls, close: () => context.close() }
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

/** Waits for the first sample card showing its video or poster; returns when it appeared (epoch ms, the page's clock). */
export async function shownAt(page: Page, timeout: number): Promise<number> {
  await page.waitForFunction(() => (window as unknown as { benchShownAt?: number }).benchShownAt !== undefined, undefined, {
    timeout,
    polling: 100,
  })
  return page.evaluate(() => (window as unknown as { benchShownAt: number }).benchShownAt)
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

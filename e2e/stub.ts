import { expect, type Locator, type Page } from '@playwright/test'
import type { Fault, LogEntry, Timing } from '../testing/stub-upstream'
import { trySampleFrames } from './helpers'

/*
 * The fault tests' side of the stub jiekou.ai (testing/stub-upstream.ts): the studio on the second gateway, which
 * holds a key and forwards to the stub (playwright.config.ts), and the stub's controls.
 */

const port = Number(process.env.E2E_PORT ?? 5399)
export const FAULT_GATEWAY = `http://127.0.0.1:${port + 1001}`
const STUB = `http://127.0.0.1:${port + 1000}`

async function control(path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${STUB}/__stub/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) })
  if (!res.ok) throw new Error(`stub ${path}: ${res.status}`)
  return res.json()
}

export const stub = {
  reset: () => control('reset', {}),
  timing: (timing: Partial<Timing>) => control('timing', timing),
  faults: (...faults: Fault[]) => control('faults', { faults }),
  clearFaults: () => control('clear-faults', {}),
  log: () => control('log') as Promise<LogEntry[]>,
  /** The contract requests of one kind, optionally for one task. */
  async seen(kind: LogEntry['kind'], taskId?: string): Promise<LogEntry[]> {
    return (await stub.log()).filter((e) => e.kind === kind && (taskId === undefined || e.taskId === taskId))
  },
}

/** The id of the task the stub issued for the first submit it took. */
export const taskIdOf = async () => (await stub.seen('submit')).find((e) => e.status === 200)?.taskId

/** The gallery's sample cards. */
export const samples = (page: Page) => page.getByRole('article', { name: /^Sample:/ })

/** A task card that ends with its one video, kept by the gateway. */
export const done = (card: Locator) => expect(card).toContainText('✓ Done · 1 video', { timeout: 30_000 })

/** The contract's error answer, as jiekou.ai words it. */
export const fault = (on: Fault['on'], status: number, times = 1, extra: Partial<Fault> = {}): Fault => ({ on, status, times, ...extra })

/** The studio on the fault gateway, with jiekou.ai chosen (the gateway holds its key), sample frames in Compose. */
export async function openOnStub(page: Page) {
  await page.addInitScript(() => {
    if (!localStorage.getItem('veo-studio.connection'))
      localStorage.setItem('veo-studio.connection', JSON.stringify({ state: { provider: 'jiekou' }, version: 1 }))
  })
  // The gateway's own pace out of the way: its requests per minute count per key, and every test here sends with the
  // one stub key (10 a minute by default held back a test that came after a few others). Only the stub's 429s are seen.
  expect((await page.request.patch('/api/library/settings', { data: { requestsPerMinute: 600 } })).ok()).toBe(true)
  await trySampleFrames(page)
  await expect(page.getByRole('banner').getByText('jiekou.ai', { exact: true })).toBeVisible()
}

/** Fills the prompt and presses Generate; returns the task card's locator. */
export async function generate(page: Page, prompt: string) {
  await page.getByLabel('Prompt', { exact: true }).fill(prompt)
  await page.getByRole('button', { name: 'Generate' }).click()
  return page.getByRole('article', { name: `Task: ${prompt.slice(0, 40)}` })
}

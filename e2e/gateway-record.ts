import { expect, type Page } from '@playwright/test'

/*
 * What the gateway did with a test's requests, read from its own records rather than from the page's traffic: since
 * the library moved to the gateway, the page hands its requests over (POST /api/library/requests) and the gateway's
 * runner sends them to the provider. Reads go through `page.request`, which carries the test's workspace header
 * (fixtures.ts), so they see this test's library only.
 */

/** A request as the page hands it to the gateway's queue. */
export interface HandedRequest {
  id: string
  cell?: { row: number; col: number }
  experimentId?: string
  body: Record<string, unknown>
}

/** A request in the gateway's queue, as GET /api/library/requests/<id> answers it. */
export interface QueueRecord {
  id: string
  state: 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled'
  attempts: number
  sentAt?: number
  notBefore?: number
  taskRecordId?: string
  error?: { message: string; status?: number }
}

/** A task in the gateway's library (GET /api/library/experiments/<id>'s tasks, GET /api/library/tasks). */
export interface TaskRecordWire {
  id: string
  createdAt: number
  status: string
  sentAt?: number
  cell?: { row: number; col: number }
  retriedAs?: string
  request: { params: { prompt?: string } }
}

const SUBMIT_QUEUE = '/api/library/requests'

/** Every request the page hands the gateway's queue, in order, through reloads. */
export function recordHandovers(page: Page): HandedRequest[] {
  const handed: HandedRequest[] = []
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === SUBMIT_QUEUE)
      handed.push(...(r.postDataJSON() as { requests: HandedRequest[] }).requests)
  })
  return handed
}

async function read<T>(page: Page, path: string): Promise<T> {
  const res = await page.request.get(path)
  expect(res.ok(), `GET ${path}: ${res.status()}`).toBe(true)
  return (await res.json()) as T
}

export const queueRecord = (page: Page, id: string) => read<QueueRecord>(page, `${SUBMIT_QUEUE}/${id}`)

/** What the gateway's queue holds for this test: waiting, going out, or failed. */
export const queueNow = async (page: Page) => (await read<{ items: QueueRecord[] }>(page, SUBMIT_QUEUE)).items

/** The tasks the gateway made for an experiment's cells. */
export const experimentTasks = async (page: Page, experimentId: string) =>
  (await read<{ tasks: TaskRecordWire[] }>(page, `/api/library/experiments/${experimentId}`)).tasks

/** Every task in this test's library (one page is enough for a test's few). */
export const libraryTasks = async (page: Page) => (await read<{ items: TaskRecordWire[] }>(page, '/api/library/tasks')).items

/** The experiment a board's address names. */
export const experimentIdOf = (page: Page) => new URL(page.url()).pathname.split('/').pop()!

/** The most of these moments that one 60 s window holds. */
export function busiestMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b)
  return Math.max(0, ...sorted.map((t, i) => sorted.filter((u, j) => j >= i && u < t + 60_000).length))
}

/** The requests per minute of this test's workspace, set through Settings and read back from the gateway. */
export async function setRequestsPerMinute(page: Page, n: number) {
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  await page.getByLabel('Requests per minute').fill(String(n))
  await page.getByRole('button', { name: 'Done' }).click()
  await expect.poll(async () => (await read<{ requestsPerMinute: number }>(page, '/api/library/settings')).requestsPerMinute).toBe(n)
}

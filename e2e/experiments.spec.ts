import { type Page, type Route } from '@playwright/test'
import { expect, test } from './fixtures'
import { expectPlays, pick, trySampleFrames } from './helpers'

/*
 * Sweeps on the local engine: the board they make, the submit queue's pacing (under Playwright's clock, so a minute
 * of pacing takes no minute of test), a 429 in the middle, and Cancel sweep.
 */

const SUBMIT = /\/api\/local\/v3\/async\/veo-[^/]+$/

interface Submit {
  /** The page's clock when the request left (Playwright's clock, when a test installs it). */
  at: number
  key: string | undefined
}

/**
 * Records every submit the page makes, with the page's own time and its Idempotency-Key. `answer` may refuse the
 * n-th submit (1-based) with a response of its own; the others go on to the gateway.
 */
async function recordSubmits(page: Page, answer?: (n: number) => Parameters<Route['fulfill']>[0] | undefined) {
  const submits: Submit[] = []
  await page.route(SUBMIT, async (route) => {
    if (route.request().method() !== 'POST') return route.continue()
    const at = await page.evaluate(() => Date.now()).catch(() => Number.NaN)
    submits.push({ at, key: route.request().headers()['idempotency-key'] })
    const refusal = answer?.(submits.length)
    return refusal ? route.fulfill(refusal) : route.continue()
  })
  return submits
}

/** A short local render and a Sweep switched on, with the given variants and seeds (and a submit limit, if given). */
async function sweepOf(page: Page, variants: string, seeds: string, requestsPerMinute?: number) {
  await trySampleFrames(page)
  if (requestsPerMinute) await setRequestsPerMinute(page, requestsPerMinute)
  await page.getByLabel('Prompt', { exact: true }).fill('a kite')
  await pick(page, 'Duration', '4 s')
  await pick(page, 'Resolution', '720p')
  await page.getByRole('switch', { name: 'Sweep' }).click()
  await page.getByLabel('Prompt variants').fill(variants)
  await page.getByLabel('Sweep seeds').fill(seeds)
}

async function setRequestsPerMinute(page: Page, n: number) {
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByLabel('Requests per minute').fill(String(n))
  await page.getByRole('button', { name: 'Done' }).click()
}

const board = (page: Page) => page.getByRole('region', { name: /^Experiment: / })
/** The board's cell at a row (by its prompt) and a column (0-based). */
const cell = (page: Page, prompt: string, col: number) =>
  board(page)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: prompt, exact: true }) })
    .getByRole('cell')
    .nth(col)
const samplesIn = (c: ReturnType<typeof cell>) => c.getByRole('checkbox', { name: 'Select' })

/** No 60 s window (by the page's clock) holds more than `limit` of these moments. */
function busiestMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b)
  return Math.max(0, ...sorted.map((t, i) => sorted.filter((u, j) => j >= i && u < t + 60_000).length))
}

test('a sweep of 2 prompts × 2 seeds makes 4 tasks and a 2×2 board; winner and notes survive a reload', async ({ page }) => {
  const submits = await recordSubmits(page)
  await sweepOf(page, 'a {red|blue} kite over the hills', '11, 22')
  // {a|b} expands into two prompts; two seeds cross them.
  await expect(page.getByText(/4 tasks\s*·\s*4 videos\s*·\s*16 s of video/)).toBeVisible()
  await page.getByRole('button', { name: 'Run sweep' }).click()

  await expect(board(page)).toHaveAccessibleName('Experiment: a red kite over the hills')
  await expect(page).toHaveURL(/\/experiments\/[\w-]+$/)
  await expect(page.getByRole('tab', { name: 'Experiments' })).toHaveAttribute('aria-selected', 'true')
  await expect(board(page).getByRole('columnheader', { name: 'Seed 11' })).toBeVisible()
  await expect(board(page).getByRole('columnheader', { name: 'Seed 22' })).toBeVisible()
  await expect(board(page).getByRole('rowheader')).toHaveText(['a red kite over the hills', 'a blue kite over the hills'])

  for (const prompt of ['a red kite over the hills', 'a blue kite over the hills'])
    for (const [col, seed] of [
      [0, '11'],
      [1, '22'],
    ] as const) {
      const here = cell(page, prompt, col)
      await expect(samplesIn(here)).toHaveCount(1, { timeout: 90_000 })
      await expect(here.getByText(`Seed ${seed}`, { exact: true })).toBeVisible()
    }
  expect(submits).toHaveLength(4)
  // At rest a board sample shows its poster; a hover mounts its video and plays it.
  const played = cell(page, 'a blue kite over the hills', 1)
  await played
    .getByRole('button', { name: /^(Play|Pause) video, seed / })
    .first()
    .hover()
  await expectPlays(played.locator('video').first())

  const winner = cell(page, 'a blue kite over the hills', 1).getByRole('button', { name: 'Winner' })
  await winner.click()
  await expect(winner).toHaveAttribute('aria-pressed', 'true')
  await cell(page, 'a red kite over the hills', 0).getByLabel('Note').fill('too much sky')
  await cell(page, 'a red kite over the hills', 0).getByLabel('Note').blur()

  await page.getByRole('button', { name: 'Rename' }).click()
  await page.getByLabel('Experiment name').fill('Kites, two colours')
  await page.getByLabel('Experiment name').press('Enter')
  await expect(board(page)).toHaveAccessibleName('Experiment: Kites, two colours')

  await page.reload()
  await expect(board(page)).toHaveAccessibleName('Experiment: Kites, two colours')
  await expect(cell(page, 'a blue kite over the hills', 1).getByRole('button', { name: 'Winner' })).toHaveAttribute('aria-pressed', 'true')
  await expect(cell(page, 'a red kite over the hills', 1).getByRole('button', { name: 'Winner' })).toHaveAttribute('aria-pressed', 'false')
  await expect(cell(page, 'a red kite over the hills', 0).getByLabel('Note')).toHaveValue('too much sky')
  await expect(samplesIn(board(page))).toHaveCount(4)

  // The Experiments view lists it; the Gallery tab still holds every sample.
  await page.getByRole('tab', { name: 'Experiments' }).click()
  await expect(page.getByRole('link', { name: /Kites, two colours/ })).toBeVisible()
  await page.getByRole('tab', { name: 'Gallery' }).click()
  await expect(page.getByRole('article', { name: /^Sample: a (red|blue) kite/ })).toHaveCount(4)
})

test('12 tasks at 5 requests per minute: no minute holds more than 5 submits, and a reload loses none and sends none twice', async ({
  page,
}) => {
  test.setTimeout(180_000)
  await page.clock.install()
  const submits = await recordSubmits(page)
  await sweepOf(page, 'a red kite\na blue kite\na green kite', '1, 2, 3, 4', 5)
  await expect(page.getByText(/12 tasks/)).toBeVisible()
  await page.getByRole('button', { name: 'Run sweep' }).click()
  // Above the threshold (8 by default), the sweep asks first.
  await page.getByRole('dialog').getByRole('button', { name: 'Run' }).click()
  await expect(board(page)).toBeVisible()

  await expect.poll(() => submits.length).toBe(5)
  await expect(board(page).getByText(/7 waiting to send/)).toBeVisible()
  await page.reload()
  await expect(board(page).getByText(/7 waiting to send/)).toBeVisible()
  expect(submits).toHaveLength(5)

  // A minute passes on the page's clock, once every send of the batch has its task (a jump must not land mid-upload).
  const aMinuteLater = async () => {
    await expect(board(page).getByText('Sending…')).toHaveCount(0)
    await page.clock.fastForward('01:01')
  }
  await aMinuteLater()
  await expect.poll(() => submits.length, { timeout: 60_000 }).toBe(10)
  await expect(board(page).getByText(/2 waiting to send/)).toBeVisible()
  await aMinuteLater()
  await expect.poll(() => submits.length, { timeout: 60_000 }).toBe(12)

  expect(submits.every((s) => Number.isFinite(s.at))).toBe(true)
  expect(busiestMinute(submits.map((s) => s.at))).toBeLessThanOrEqual(5)
  // Sent once each: twelve keys, twelve tasks on the board.
  expect(new Set(submits.map((s) => s.key)).size).toBe(12)
  await expect(board(page).getByText(/waiting to send/)).toHaveCount(0)
  await expect(samplesIn(board(page))).toHaveCount(12, { timeout: 150_000 })
})

test('a 429 in the middle of a sweep pauses the queue; the sweep still completes', async ({ page }) => {
  // The provider refuses the second submit, asking for 3 s.
  const submits = await recordSubmits(page, (n) =>
    n === 2
      ? {
          status: 429,
          headers: { 'Retry-After': '3' },
          json: { code: 429, reason: 'RATE_LIMIT_EXCEEDED', message: 'slow down', metadata: {} },
        }
      : undefined,
  )
  await sweepOf(page, 'a paper boat', '5, 6, 7')
  await page.getByRole('button', { name: 'Run sweep' }).click()
  await expect(board(page).getByText(/Paused/)).toBeVisible()
  await expect(samplesIn(board(page))).toHaveCount(3, { timeout: 90_000 })
  // Three tasks from four submits: the refused one was sent again, with the same key, after the pause.
  expect(submits).toHaveLength(4)
  expect(submits[2]!.key).toBe(submits[1]!.key)
  expect(submits[2]!.at - submits[1]!.at).toBeGreaterThanOrEqual(3000)
  await expect(board(page).getByText(/Failed/)).toHaveCount(0)
})

test('Cancel sweep: what was not sent is never sent', async ({ page }) => {
  await page.clock.install()
  const submits = await recordSubmits(page)
  await sweepOf(page, 'a lantern in the fog', '1, 2, 3, 4', 1)
  await page.getByRole('button', { name: 'Run sweep' }).click()
  await expect.poll(() => submits.length).toBe(1)
  await expect(board(page).getByText(/3 waiting to send/)).toBeVisible()
  // The one sent has its task before the clock jumps: a jump must not land in the middle of its upload.
  await expect(cell(page, 'a lantern in the fog', 0).getByText('Sending…')).toHaveCount(0)
  await board(page).getByRole('button', { name: 'Cancel sweep' }).click()
  await expect(board(page).getByText('Cancelled: not sent')).toHaveCount(3)
  await expect(board(page).getByRole('button', { name: 'Cancel sweep' })).toHaveCount(0)

  // Minutes pass: the queue has nothing of this sweep left to send.
  await page.clock.fastForward('05:00')
  await expect(samplesIn(cell(page, 'a lantern in the fog', 0))).toHaveCount(1, { timeout: 60_000 })
  expect(submits).toHaveLength(1)
  await page.reload()
  await page.clock.fastForward('05:00')
  await expect(board(page).getByText('Cancelled: not sent')).toHaveCount(3)
  expect(submits).toHaveLength(1)
})

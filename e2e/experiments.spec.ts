import { type Page } from '@playwright/test'
import { expect, test } from './fixtures'
import {
  busiestMinute,
  experimentIdOf,
  experimentTasks,
  queueRecord,
  recordHandovers,
  setRequestsPerMinute,
  type HandedRequest,
} from './gateway-record'
import { expectPlays, pick, trySampleFrames } from './helpers'

/*
 * Sweeps on the local engine: the board they make, the pacing of the gateway's runner (the requests per minute of the
 * test's workspace, kept in real time: the gateway sends, not the page), a 429 in the middle, and Cancel sweep. What
 * was sent, when and how often is read from the gateway's own records (gateway-record.ts).
 */

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

const board = (page: Page) => page.getByRole('region', { name: /^Experiment: / })
/** The board's cell at a row (by its prompt) and a column (0-based). */
const cell = (page: Page, prompt: string, col: number) =>
  board(page)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: prompt, exact: true }) })
    .getByRole('cell')
    .nth(col)
const samplesIn = (c: ReturnType<typeof cell>) => c.getByRole('checkbox', { name: 'Select' })
/** The cells still in the gateway's line, as the cells themselves say it. */
const waitingCells = (page: Page) => board(page).getByText(/^Waiting to send · /)
/** The request handed over for a cell. */
const forCell = (handed: HandedRequest[], row: number, col: number) => handed.find((h) => h.cell?.row === row && h.cell.col === col)!

test('a sweep of 2 prompts × 2 seeds makes 4 tasks and a 2×2 board; winner and notes survive a reload', async ({ page }) => {
  // Four real renders on the one local engine, which every test shares.
  test.setTimeout(180_000)
  const handed = recordHandovers(page)
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
      await expect(samplesIn(here)).toHaveCount(1, { timeout: 150_000 })
      await expect(here.getByText(`Seed ${seed}`, { exact: true })).toBeVisible()
    }
  // The gateway's record: four requests handed over, each sent once, as four tasks, one per cell.
  expect(handed).toHaveLength(4)
  for (const h of handed) expect(await queueRecord(page, h.id)).toMatchObject({ state: 'sent', attempts: 1 })
  const tasks = await experimentTasks(page, experimentIdOf(page))
  expect(new Set(tasks.map((t) => `${t.cell?.row}:${t.cell?.col}`))).toEqual(new Set(['0:0', '0:1', '1:0', '1:1']))
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

test('12 tasks at 5 requests per minute: no minute holds more than 5 sends, and a reload loses none and sends none twice', async ({
  page,
}) => {
  // The gateway keeps the pace in real time: five now, five a minute later, two a minute after that. The pace is what
  // is tried here, so nothing renders ([engine:empty]: the engine finishes each task with no video).
  test.setTimeout(240_000)
  const handed = recordHandovers(page)
  const rows = ['a red kite', 'a blue kite', 'a green kite'].map((p) => `${p} [engine:empty]`)
  await sweepOf(page, rows.join('\n'), '1, 2, 3, 4', 5)
  await expect(page.getByText(/12 tasks/)).toBeVisible()
  await page.getByRole('button', { name: 'Run sweep' }).click()
  // Above the threshold (8 by default), the sweep asks first.
  await page.getByRole('dialog').getByRole('button', { name: 'Run' }).click()
  await expect(board(page)).toBeVisible()

  // Five sent at once, seven held for the next minute: the header and the cells say the same.
  await expect(board(page).getByText(/7 waiting to send/)).toBeVisible()
  await expect(waitingCells(page)).toHaveCount(7)
  await page.reload()
  await expect(board(page).getByText(/7 waiting to send/)).toBeVisible()
  await expect(waitingCells(page)).toHaveCount(7)
  await expect(board(page).getByText(/2 waiting to send/)).toBeVisible({ timeout: 90_000 })
  await expect(waitingCells(page)).toHaveCount(2)
  await expect(board(page).getByText(/waiting to send/)).toHaveCount(0, { timeout: 90_000 })
  await expect(board(page).getByText(/^12 of 12 tasks done/)).toBeVisible({ timeout: 60_000 })
  await expect(board(page).getByText('Done: no video returned.')).toHaveCount(12)

  // The gateway's record: twelve requests handed over once (the reload handed none again), each sent once, as twelve
  // tasks, one per cell; and no minute held more than five sends.
  expect(new Set(handed.map((h) => h.id)).size).toBe(12)
  expect(handed).toHaveLength(12)
  const sent = await Promise.all(handed.map((h) => queueRecord(page, h.id)))
  expect(sent.map((q) => `${q.state} ×${q.attempts}`)).toEqual(Array(12).fill('sent ×1'))
  expect(busiestMinute(sent.map((q) => q.sentAt!))).toBe(5)
  const tasks = await experimentTasks(page, experimentIdOf(page))
  expect(tasks).toHaveLength(12)
  expect(new Set(tasks.map((t) => `${t.cell?.row}:${t.cell?.col}`)).size).toBe(12)
})

test('a 429 in the middle of a sweep pauses the queue; the sweep still completes', async ({ page }) => {
  test.setTimeout(180_000)
  const handed = recordHandovers(page)
  // The engine answers the middle row's first send with a 429 asking for 5 s (server/engine/submit-faults.ts).
  await sweepOf(page, 'a paper boat\na paper boat [engine:busy]\na paper boat at dusk', '5')
  await page.getByRole('button', { name: 'Run sweep' }).click()
  await expect(board(page).getByText(/Paused/)).toBeVisible()
  await expect(samplesIn(board(page))).toHaveCount(3, { timeout: 150_000 })
  await expect(board(page).getByText(/Failed/)).toHaveCount(0)

  // The gateway's record: the refused request was sent again, once, after the pause, and the one behind it waited for
  // it: three tasks from four sends.
  const [first, refused, last] = await Promise.all([0, 1, 2].map((row) => queueRecord(page, forCell(handed, row, 0).id)))
  expect([first!.attempts, refused!.attempts, last!.attempts]).toEqual([1, 2, 1])
  expect(last!.sentAt! - refused!.sentAt!).toBeGreaterThanOrEqual(5000)
  const tasks = await experimentTasks(page, experimentIdOf(page))
  expect(tasks).toHaveLength(3)
  const retried = tasks.find((t) => t.id === refused!.taskRecordId)!
  expect(last!.sentAt!).toBeGreaterThanOrEqual(retried.createdAt - 50)
})

test('Cancel sweep: what was not sent is never sent', async ({ page }) => {
  // One send a minute: the test waits out the minute in which the next would have gone.
  test.setTimeout(180_000)
  const handed = recordHandovers(page)
  await sweepOf(page, 'a lantern in the fog', '1, 2, 3, 4', 1)
  await page.getByRole('button', { name: 'Run sweep' }).click()
  await expect(board(page).getByText(/3 waiting to send/)).toBeVisible()
  // The first has left the line (its cell no longer waits): Cancel takes the three still waiting, not the one sent.
  await expect(cell(page, 'a lantern in the fog', 0).getByText(/^Waiting to send/)).toHaveCount(0)
  await expect(waitingCells(page)).toHaveCount(3)
  await board(page).getByRole('button', { name: 'Cancel sweep' }).click()
  await expect(board(page).getByText('Cancelled: not sent')).toHaveCount(3)
  await expect(board(page).getByRole('button', { name: 'Cancel sweep' })).toHaveCount(0)
  await expect(samplesIn(cell(page, 'a lantern in the fog', 0))).toHaveCount(1, { timeout: 120_000 })

  // The minute after the first send passes, when the gateway would have sent the next (its window, a turn every
  // half second, and a margin): nothing more went, and a reload still shows the three cancelled.
  const sent = await queueRecord(page, forCell(handed, 0, 0).id)
  expect(sent).toMatchObject({ state: 'sent', attempts: 1 })
  await page.waitForTimeout(Math.max(0, sent.sentAt! + 65_000 - Date.now()))
  await page.reload()
  await expect(board(page).getByText('Cancelled: not sent')).toHaveCount(3)
  for (const col of [1, 2, 3])
    expect(await queueRecord(page, forCell(handed, 0, col).id)).toMatchObject({ state: 'cancelled', attempts: 0 })
  expect(await experimentTasks(page, experimentIdOf(page))).toHaveLength(1)
})

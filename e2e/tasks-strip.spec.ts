import { type Page } from '@playwright/test'
import { randomUUID } from 'node:crypto'
import { importRecords } from '../testing/seed-gateway'
import { expect, test } from './fixtures'
import { libraryTasks, queueRecord } from './gateway-record'
import { trySampleFrames } from './helpers'
import { seedFinishedTasks } from './seed'

const taskCard = (page: Page, prompt: string | RegExp) =>
  page.getByRole('article', { name: typeof prompt === 'string' ? `Task: ${prompt}` : prompt })
const prompt = (page: Page) => page.getByLabel('Prompt', { exact: true })
const generate = (page: Page) => page.getByRole('button', { name: /^Generate/ })

test('a task card counts the videos left after deletes, and Undo counts them back', async ({ page }) => {
  await seedFinishedTasks(page, 1)
  const task = taskCard(page, 'seeded local task 0')
  await expect(task.getByText(/^✓ Done · 2 videos/)).toBeVisible()
  const samples = page.getByRole('list', { name: 'Samples' }).getByRole('article')
  await expect(samples).toHaveCount(2)

  await samples.first().getByRole('button', { name: 'Delete' }).click()
  await expect(task.getByText(/^✓ Done · 1 of 2 videos/)).toBeVisible()
  await expect(task.getByRole('button', { name: 'Show 1 video' })).toBeVisible()
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(task.getByText(/^✓ Done · 2 videos/)).toBeVisible()

  await samples.first().getByRole('button', { name: 'Delete' }).click()
  await expect(samples).toHaveCount(1)
  await samples.first().getByRole('button', { name: 'Delete' }).click()
  await expect(task.getByText(/^✓ Done · 2 videos deleted/)).toBeVisible()
  await expect(task.getByRole('button', { name: /^Show/ })).toHaveCount(0)
})

test('Local preview on every task of the local engine, and never on a Veo task', async ({ page }) => {
  await seedFinishedTasks(page, 1, { provider: 'jiekou' })
  await seedFinishedTasks(page, 1, { provider: 'local' })
  await expect(taskCard(page, 'seeded local task 0').getByText('Local preview', { exact: true })).toBeVisible()
  await expect(taskCard(page, 'seeded jiekou task 0')).toBeVisible()
  await expect(taskCard(page, 'seeded jiekou task 0').getByText('Local preview')).toHaveCount(0)
})

test('Clear finished hides every finished task in one press; a running task stays', async ({ page }) => {
  // A task the gateway still follows: a jiekou.ai render at 40 %, brought in running. The e2e gateway cannot reach
  // jiekou.ai, so it keeps checking on it (never final) for as long as the test takes. It is a board's, so that
  // deleting the board at the end lets the gateway purge it: the e2e data folder outlives the run, and its checks with it.
  await page.goto('/')
  const now = Date.now()
  const taskId = randomUUID()
  const experimentId = randomUUID()
  const request = { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'still rendering' }, frames: {} }
  await importRecords(page.request, {
    experiments: [
      { id: experimentId, name: 'still rendering', createdAt: now, base: request, rows: ['still rendering'], columns: [{ seed: 1 }] },
    ],
    tasks: [
      {
        id: `jiekou:${taskId}`,
        provider: 'jiekou',
        taskId,
        request,
        createdAt: now - 30_000,
        sentAt: now - 30_000,
        status: 'TASK_STATUS_PROCESSING',
        reason: '',
        progressPercent: 40,
        experimentId,
        cell: { row: 0, col: 0 },
      },
    ],
  })
  try {
    await page.reload()
    const running = taskCard(page, 'still rendering')
    await expect(running.getByRole('progressbar', { name: 'Rendering' })).toHaveAttribute('aria-valuenow', '40')
    await seedFinishedTasks(page, 3)
    await expect(running.getByRole('progressbar', { name: 'Rendering' })).toBeVisible()
    await expect(page.getByRole('article', { name: /^Task: seeded local task/ })).toHaveCount(3)

    await page.getByRole('button', { name: 'Clear finished' }).click()
    await expect(page.getByRole('article', { name: /^Task: seeded local task/ })).toHaveCount(0)
    await expect(running).toBeVisible()
    // Nothing finished is left to clear.
    await expect(page.getByRole('button', { name: 'Clear finished' })).toHaveCount(0)
    // Hidden for good, and their videos stay in the gallery.
    await page.reload()
    await expect(running.getByRole('progressbar', { name: 'Rendering' })).toBeVisible()
    await expect(page.getByRole('article', { name: /^Task: seeded local task/ })).toHaveCount(0)
    await expect(page.getByRole('list', { name: 'Samples' }).getByRole('article', { name: /^Sample: seeded local task/ })).toHaveCount(6)
  } finally {
    await page.request.delete(`/api/library/experiments/${experimentId}`)
  }
})

test('Retry shows its own "Sending…" on its card, not under Generate, and one press makes one task', async ({ page }) => {
  await trySampleFrames(page)
  await prompt(page).fill('make it fail [engine:fail]')
  await generate(page).click()
  // Newest first: the task that failed is always the last card.
  const failed = taskCard(page, /^Task: make it fail/).last()
  await expect(failed.getByText(/Failed: Local engine: failure requested/)).toBeVisible({ timeout: 60_000 })

  // The retry's hand-over to the gateway is held until the test lets it go, so its sending state can be seen.
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  const handed: string[] = []
  await page.route('**/api/library/requests', async (route) => {
    if (route.request().method() !== 'POST') return route.continue()
    handed.push(...(route.request().postDataJSON() as { requests: { id: string }[] }).requests.map((r) => r.id))
    await released
    await route.continue()
  })
  await failed.getByRole('button', { name: 'Retry' }).dblclick()
  await expect(failed.getByRole('button', { name: 'Sending…' })).toBeDisabled()
  await expect(generate(page)).toBeEnabled()
  await expect(page.getByRole('button', { name: 'Sending…' })).toHaveCount(1)
  // The press is handed over once; a second press would have been handed over beside it, and both held here.
  await expect.poll(() => handed.length, { message: 'requests handed over by the double press on Retry' }).toBe(1)
  release()

  await expect(taskCard(page, /^Task: make it fail/)).toHaveCount(2)
  await expect(failed.getByRole('button', { name: /^(Retry|Sending…)$/ })).toHaveCount(0)
  expect(handed).toHaveLength(1)
  // The gateway's record: one request, sent once, as the one task that retries the failed one.
  expect(await queueRecord(page, handed[0]!)).toMatchObject({ state: 'sent', attempts: 1 })
  const tasks = await libraryTasks(page)
  expect(tasks).toHaveLength(2)
  const retry = tasks.find((t) => !t.retriedAs)!
  expect(tasks.find((t) => t.retriedAs)!.retriedAs).toBe(retry.id)
})

test('at 1024 px a new task opens the closed Tasks drawer, once', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 })
  await trySampleFrames(page)
  const drawer = page.getByRole('region', { name: 'Tasks panel' })
  await expect(drawer).toBeHidden()
  await prompt(page).fill('seen at once')
  await generate(page).click()
  await expect(drawer).toBeVisible()
  const task = taskCard(page, 'seen at once')
  await expect(task).toBeInViewport()
  await expect(task.getByText('Local preview', { exact: true })).toBeVisible()

  // Closed again, it stays closed while the task runs and finishes.
  await page.getByRole('button', { name: /^Tasks/ }).click()
  await expect(drawer).toBeHidden()
  await expect(page.getByRole('list', { name: 'Samples' }).getByRole('article', { name: /^Sample: seen at once/ })).toHaveCount(1, {
    timeout: 60_000,
  })
  await expect(drawer).toBeHidden()
})

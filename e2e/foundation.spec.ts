import { expect, test } from './fixtures'
import { FIRST_FRAME, LAST_FRAME, cardVideo, chooseModel, dropFile, expectPlays, frameZone, pick } from './helpers'

test('two PNG frames dropped in, Generate, the task runs, and the videos play', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByText('Local preview: motion from your frames, not AI.').first()).toBeVisible()

  await chooseModel(page, 'Veo 3.1')
  await dropFile(page, frameZone(page, 'First frame'), FIRST_FRAME)
  await dropFile(page, frameZone(page, 'Last frame'), LAST_FRAME)
  await expect(page.getByText('1280×720').first()).toBeVisible()

  await page.getByLabel('Prompt', { exact: true }).fill('The sun rises over the hills, slow push in')
  await pick(page, 'Duration', '4 s')
  await pick(page, 'Samples', '2')

  const generate = page.getByRole('button', { name: /^Generate/ })
  await expect(generate).toBeEnabled()
  await generate.click()

  const task = page.getByRole('article', { name: /Task: The sun rises/ })
  await expect(task).toBeVisible()
  // Sent, then rendering (the gateway polls a short local render near its end only), then done.
  await expect(task.getByRole('progressbar', { name: 'Sent' }).or(task.getByRole('progressbar', { name: 'Rendering' }))).toBeVisible()
  await expect(task.getByText(/^✓ Done · 2 videos/)).toBeVisible({ timeout: 120_000 })

  const samples = page.getByRole('article', { name: /^Sample: The sun rises/ })
  await expect(samples).toHaveCount(2)
  for (const sample of await samples.all()) {
    await expectPlays(await cardVideo(sample), { width: 1280, height: 720 })
  }
})

test('Veo 3.0 takes one frame and a portrait 9:16 request plays at 720×1280', async ({ page }) => {
  await page.goto('/')
  await chooseModel(page, 'Veo 3.0')
  await expect(frameZone(page, 'Last frame')).toHaveCount(0)
  await page.getByLabel('First frame', { exact: true }).setInputFiles(FIRST_FRAME)
  await page.getByLabel('Prompt', { exact: true }).fill('pan left across the hills')
  await pick(page, 'Aspect ratio', '9:16')
  await pick(page, 'Duration', '4 s')
  await page.getByRole('button', { name: /^Generate/ }).click()
  const sample = page.getByRole('article', { name: /^Sample: pan left/ })
  await expect(sample).toBeVisible({ timeout: 60_000 })
  await expectPlays(await cardVideo(sample), { width: 720, height: 1280 })
})

import { type Route } from '@playwright/test'
import { expect, test } from './fixtures'

// The studio's own chunk (compose, gallery, tasks), asked for by the first script; not its on-demand chunks.
const STUDIO_CHUNK = /\/assets\/studio-[\w-]{8}\.js$/

test('the frame is painted while the studio arrives, then the studio takes its place', async ({ page }) => {
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  await page.route(STUDIO_CHUNK, async (route: Route) => {
    await released
    await route.continue()
  })
  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'Veo Studio' })).toBeVisible()
  await expect(page.getByRole('status')).toHaveText('Opening the studio…')
  await expect(page.getByLabel('Prompt', { exact: true })).toHaveCount(0)

  release()
  await expect(page.getByLabel('Prompt', { exact: true })).toBeVisible()
  await expect(page.getByText('Opening the studio…')).toHaveCount(0)
  await expect(page.getByRole('heading', { name: 'Veo Studio' })).toHaveCount(1)
})

test('when the studio cannot be fetched, the page says so and Reload brings it back', async ({ page }) => {
  let fail = true
  await page.route(STUDIO_CHUNK, (route) => (fail ? route.abort() : route.continue()))
  await page.goto('/')
  await expect(page.getByRole('alert')).toContainText('The studio could not start')
  await page.getByText('Details').click()
  await expect(page.getByText(/TypeError|Failed to fetch|dynamically imported module/).first()).toBeVisible()

  fail = false
  await page.getByRole('button', { name: 'Reload' }).click()
  await expect(page.getByLabel('Prompt', { exact: true })).toBeVisible()
  await expect(page.getByRole('alert')).toHaveCount(0)
})

import { type Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { trySampleFrames } from './helpers'

/*
 * Words a designer reads: errors lead with a plain sentence and keep codes under a collapsed Details, the header
 * says when the provider cannot be reached, and the Tasks button counts what runs while the drawer is shut. The
 * e2e gateway forwards jiekou.ai calls to http://127.0.0.1:9, where nothing listens.
 */

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Settings' })
  await dialog.getByRole('radio', { name: 'jiekou.ai' }).check()
  return dialog
}

test('Test connection with no key says so, and asks nobody', async ({ page }) => {
  // No key anywhere. The key is kept by the gateway (its data folder), one for every workspace, and tests beside this
  // one save keys on the e2e gateway at any moment: so the gateway's answer about its key is given here as "none held"
  // (the rest of its settings as it answered them).
  await page.route('**/api/library/settings', async (route) => {
    if (route.request().method() !== 'GET') return route.continue()
    const answer = await route.fetch()
    const json = (await answer.json()) as Record<string, unknown>
    await route.fulfill({ response: answer, json: { ...json, providerKey: { held: false, source: null } } })
  })
  await page.goto('/')
  const dialog = await openSettings(page)
  await expect(dialog.getByLabel('API key')).toHaveAttribute('placeholder', 'Paste your jiekou.ai key')
  // Nobody is asked: neither jiekou.ai (through the gateway) nor the gateway's key store. (The header badge's own check,
  // provider-status, runs on its own schedule, not on this press.)
  const asked: string[] = []
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname
    if (path.endsWith('/provider-status')) return
    if (path.startsWith('/api/jiekou/') || path.startsWith('/api/library/settings/provider-key')) asked.push(path)
  })
  await dialog.getByRole('button', { name: 'Test connection' }).click()
  await expect(dialog.getByRole('status')).toHaveText('No key yet: add your jiekou.ai key above, then test again.')
  await expect(dialog.getByText('Details')).toHaveCount(0)
  expect(asked).toEqual([])
})

test('a provider error leads with the plain sentence; the code waits under a collapsed Details', async ({ page }) => {
  await page.goto('/')
  const dialog = await openSettings(page)
  await dialog.getByLabel('API key').fill('test-key-not-real-123456')
  await dialog.getByRole('button', { name: 'Test connection' }).click()
  const status = dialog.getByRole('status')
  await expect(status.locator('p').first()).toHaveText("jiekou.ai can't be reached right now. Check your connection, then try again.")
  const details = status.locator('details')
  await expect(details).not.toHaveAttribute('open')
  await expect(status.getByText(/UPSTREAM_UNREACHABLE/)).toBeHidden()
  await status.getByText('Details', { exact: true }).click()
  await expect(status.getByText(/UPSTREAM_UNREACHABLE \(HTTP 502\)/)).toBeVisible()
  await expect(status.getByText(/could not reach jiekou\.ai at http:\/\/127\.0\.0\.1:9 \(.+\); check JIEKOU_BASE_URL/)).toBeVisible()
})

test('a refused frame URL: the gateway answers a plain sentence and files the code under metadata.detail', async ({ page, baseURL }) => {
  const check = (url: string) => page.request.get(`/api/frame-check?url=${encodeURIComponent(url)}`)
  const missing = await check('http://127.0.0.1:9/frame.png')
  expect(missing.status()).toBe(400)
  const body = (await missing.json()) as { reason: string; message: string; metadata: { detail: string } }
  expect(body).toMatchObject({
    reason: 'INVALID_REQUEST_BODY',
    message: "This address can't be reached. Check the link, or drop the file instead.",
  })
  expect(body.metadata.detail).toMatch(/^url could not be fetched \(.+\)$/)
  const sample = await check(`${baseURL}/samples/first-frame.png`)
  expect(await sample.json()).toMatchObject({ mime: 'image/png', width: expect.any(Number), height: expect.any(Number) })
})

test('the header badge says when jiekou.ai cannot be reached, and why in its title', async ({ page }) => {
  // The badge asks the gateway's own check, a health check: a 200 every time (never a 404 in the console), and no
  // task-result from the page.
  const checks: number[] = []
  let taskResults = 0
  page.on('response', (r) => {
    if (r.url().includes('/provider-status')) checks.push(r.status())
    if (r.url().includes('/v3/async/task-result')) taskResults++
  })
  await page.goto('/')
  const dialog = await openSettings(page)
  await dialog.getByLabel('API key').fill('test-key-not-real-123456')
  await dialog.getByRole('button', { name: 'Done' }).click()
  const badge = page.getByRole('banner').getByText('jiekou.ai', { exact: true }).locator('..')
  await expect(badge).toHaveText(/^jiekou\.ai\s*· unreachable$/)
  await expect(badge).toHaveAttribute('title', /can't be reached[\s\S]*UPSTREAM_UNREACHABLE/)
  // The local engine's on load, then jiekou.ai's.
  await expect.poll(() => checks.length).toBeGreaterThanOrEqual(2)
  expect(checks.every((status) => status === 200)).toBe(true)
  expect(taskResults).toBe(0)
})

test('at 1024 px the Tasks button counts the running tasks', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 })
  await trySampleFrames(page)
  await expect(page.getByRole('button', { name: 'Tasks', exact: true })).toBeVisible()
  await page.getByRole('button', { name: /^Generate/ }).click()
  await expect(page.getByRole('button', { name: /^Tasks\s*1$/ })).toBeVisible()
})

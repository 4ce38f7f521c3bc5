import { expect, test } from './fixtures'
import { pick, trySampleFrames } from './helpers'

const SUBMIT = /\/api\/local\/v3\/async\/veo-[^/]+$/

test('offline: a banner says so, a Generate waits and nothing is sent; back online it is sent and finishes by itself', async ({
  page,
  context,
}) => {
  // Every submit the page makes, sent or failed: offline, any would show here.
  const submits: string[] = []
  page.on('request', (r) => {
    if (r.method() === 'POST' && SUBMIT.test(r.url())) submits.push(r.url())
  })
  const samples = page.getByRole('article', { name: /^Sample:/ })
  await trySampleFrames(page)
  await page.getByLabel('Prompt', { exact: true }).fill('a kite before the network goes')
  await pick(page, 'Duration', '4 s')
  await pick(page, 'Resolution', '720p')
  await page.getByRole('button', { name: 'Generate' }).click()
  await expect(samples).toHaveCount(1, { timeout: 30_000 })
  expect(submits).toHaveLength(1)

  await context.setOffline(true)
  await expect(page.getByRole('status').filter({ hasText: 'You are offline.' })).toBeVisible()
  await page.getByLabel('Prompt', { exact: true }).fill('a kite while offline')
  await page.getByRole('button', { name: 'Generate' }).click()
  // Under Generate, and in the task strip.
  await expect(page.getByText('Offline: sends when the network is back').first()).toBeVisible()
  await expect(page.getByText('1 waiting to send when the network is back').first()).toBeVisible()
  expect(submits).toHaveLength(1)

  await context.setOffline(false)
  await expect(page.getByText('You are offline.')).toBeHidden()
  await expect.poll(() => submits.length).toBe(2)
  await expect(samples).toHaveCount(2, { timeout: 30_000 })
  await expect(page.getByRole('article', { name: 'Task: a kite while offline' })).toContainText('1 video')
})

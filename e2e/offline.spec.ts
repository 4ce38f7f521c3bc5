import { expect, test } from './fixtures'
import { libraryTasks, queueNow, queueRecord, recordHandovers } from './gateway-record'
import { pick, trySampleFrames } from './helpers'

test('offline: a banner says so, a Generate waits and nothing is handed over; back online it goes to the gateway, which sends it once, and it finishes by itself', async ({
  page,
  context,
}) => {
  // Two real renders on the local engine, which every test shares.
  test.setTimeout(240_000)
  // Every request the page hands the gateway to send: offline, any would show here.
  const handed = recordHandovers(page)
  const samples = page.getByRole('article', { name: /^Sample:/ })
  await trySampleFrames(page)
  await page.getByLabel('Prompt', { exact: true }).fill('a kite before the network goes')
  await pick(page, 'Duration', '4 s')
  await pick(page, 'Resolution', '720p')
  await page.getByRole('button', { name: 'Generate' }).click()
  await expect(samples).toHaveCount(1, { timeout: 120_000 })
  expect(handed).toHaveLength(1)

  await context.setOffline(true)
  await expect(page.getByRole('status').filter({ hasText: 'You are offline.' })).toBeVisible()
  await page.getByLabel('Prompt', { exact: true }).fill('a kite while offline')
  await page.getByRole('button', { name: 'Generate' }).click()
  // Under Generate: the press waits in the browser.
  await expect(page.getByText('Offline: sends when the network is back').first()).toBeVisible()
  expect(handed).toHaveLength(1)
  // The gateway (asked from outside the offline browser) holds nothing more to send and has made no task of it.
  expect(await queueNow(page)).toEqual([])
  expect((await libraryTasks(page)).map((t) => t.request.params.prompt)).toEqual(['a kite before the network goes'])

  await context.setOffline(false)
  await expect(page.getByText('You are offline.')).toBeHidden()
  // Handed over (the same press, by its id, however often the connection made it try), and sent once.
  await expect.poll(() => new Set(handed.map((h) => h.id)).size).toBe(2)
  await expect(samples).toHaveCount(2, { timeout: 120_000 })
  await expect(page.getByRole('article', { name: 'Task: a kite while offline' })).toContainText('1 video')
  expect(await queueRecord(page, handed.at(-1)!.id)).toMatchObject({ state: 'sent', attempts: 1 })
  expect(await libraryTasks(page)).toHaveLength(2)
})

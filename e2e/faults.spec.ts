import { expect, test } from './fixtures'
import { queueRecord, recordHandovers } from './gateway-record'
import { pick, trySampleFrames } from './helpers'

/*
 * Issue 10's faults, as a designer meets them in the studio (more come with the stub upstream's fault injection).
 */

test('a refused key says so in plain words, with Settings beside it; Settings shows the storage used', async ({ page }) => {
  const handed = recordHandovers(page)
  await trySampleFrames(page)
  // The provider refuses the key: [engine:refuse-key] makes the local engine answer as jiekou.ai does, a 403
  // INVALID_API_KEY with its own words ("invalid api-key"), to the gateway's runner.
  await page.getByLabel('Prompt', { exact: true }).fill('a kite [engine:refuse-key]')
  await pick(page, 'Duration', '4 s')
  await page.getByRole('button', { name: 'Generate' }).click()
  const compose = page.getByRole('complementary', { name: 'Compose panel' })
  const alert = compose.getByRole('alert')
  await expect(alert).toContainText('The jiekou.ai key was refused. Check it in Settings.')
  // The provider's own words are under Details, not glued to ours.
  await expect(alert).not.toContainText('invalid api-key Add')
  await expect(alert.getByText('invalid api-key')).toBeHidden()
  // The gateway sent it once and gave up: waiting does not mend a refused key.
  expect(handed).toHaveLength(1)
  expect(await queueRecord(page, handed[0]!.id)).toMatchObject({ state: 'failed', attempts: 1 })

  await alert.getByRole('button', { name: 'Settings' }).click()
  const settings = page.getByRole('dialog', { name: 'Settings' })
  await expect(settings).toBeVisible()
  // Storage: the gateway's data folder, what the library takes there and what the disk has left.
  const storage = settings.getByRole('region', { name: 'Storage' })
  const { dataDir } = (await (await page.request.get('/api/library/storage')).json()) as { dataDir: string }
  await expect(storage.getByText(dataDir, { exact: true })).toBeVisible()
  await expect(storage.getByText(/^The library takes .+\. The gateway's disk has .+ free of .+\.$/)).toBeVisible()
  await expect(storage.getByRole('progressbar', { name: 'Storage' })).toBeVisible()
  await expect(storage.getByRole('definition').filter({ hasText: /^\d+ frames? · / })).toBeVisible()
})

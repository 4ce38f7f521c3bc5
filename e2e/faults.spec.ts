import { expect, test } from './fixtures'
import { pick, trySampleFrames } from './helpers'

/*
 * Issue 10's faults, as a designer meets them in the studio (more come with the stub upstream's fault injection).
 */

test('a refused key says so in plain words, with Settings beside it; Settings shows the storage used', async ({ page }) => {
  // The provider's answer to a bad key, in the contract's shape.
  await page.route(/\/api\/local\/v3\/async\/veo-[^/]+$/, (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 403,
          contentType: 'application/json',
          body: JSON.stringify({ code: 403, reason: 'INVALID_API_KEY', message: 'invalid api-key', metadata: {} }),
        })
      : route.continue(),
  )
  await trySampleFrames(page)
  await pick(page, 'Duration', '4 s')
  await page.getByRole('button', { name: 'Generate' }).click()
  const compose = page.getByRole('complementary', { name: 'Compose panel' })
  const alert = compose.getByRole('alert')
  await expect(alert).toContainText('The jiekou.ai key was refused. Check it in Settings.')
  // The provider's own words are under Details, not glued to ours.
  await expect(alert).not.toContainText('invalid api-key Add')
  await expect(alert.getByText('invalid api-key')).toBeHidden()

  await alert.getByRole('button', { name: 'Settings' }).click()
  const settings = page.getByRole('dialog', { name: 'Settings' })
  await expect(settings).toBeVisible()
  const storage = settings.getByRole('region', { name: 'Storage' })
  await expect(storage.getByText(/^Using .+ of .+ \(\d+ %\)$/)).toBeVisible()
  await expect(storage.getByRole('progressbar', { name: 'Storage' })).toBeVisible()
})

import AxeBuilder from '@axe-core/playwright'
import { type Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { trySampleFrames } from './helpers'

/** axe-core's WCAG 2.1 A/AA rules over what is on screen; colour contrast included. */
async function violations(page: Page, include?: string) {
  const builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
  const { violations: found } = await (include ? builder.include(include) : builder).analyze()
  return found.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

test('the studio has no WCAG A/AA violations: empty, composed, with samples, refusals and failures, and in Settings', async ({ page }) => {
  await page.goto('/')
  expect(await violations(page)).toEqual([])

  await trySampleFrames(page)
  await page.getByRole('button', { name: 'Generate' }).click()
  await expect(page.getByRole('article', { name: /^Sample:/ })).toHaveCount(1, { timeout: 60_000 })
  await page.getByText('Request preview').click()
  expect(await violations(page)).toEqual([])

  // The states that carry colour: a refused frame, a failed task.
  await page
    .getByLabel('Last frame', { exact: true })
    .setInputFiles({ name: 'x.png', mimeType: 'image/png', buffer: Buffer.from('GIF89a' + 'x'.repeat(40)) })
  await expect(page.getByRole('alert')).toBeVisible()
  await page.getByLabel('Prompt', { exact: true }).fill('fails [engine:fail]')
  await page.getByRole('button', { name: 'Generate' }).click()
  await expect(page.getByText(/^Failed:/)).toBeVisible({ timeout: 60_000 })
  expect(await violations(page)).toEqual([])

  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  await page.getByRole('dialog', { name: 'Settings' }).getByRole('radio', { name: 'jiekou.ai' }).check()
  expect(await violations(page, 'dialog')).toEqual([])
})

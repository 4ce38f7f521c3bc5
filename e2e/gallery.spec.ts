import AxeBuilder from '@axe-core/playwright'
import { type Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { cardVideo, expectPlays, pick, trySampleFrames } from './helpers'

const generate = (page: Page) => page.getByRole('button', { name: /^Generate/ })
const sampleCards = (page: Page) => page.getByRole('article', { name: /^Sample:/ })
const placeholders = (page: Page) => page.getByRole('article', { name: /^On its way:/ })

/** axe-core's WCAG 2.1 A/AA rules over the page (or a part of it). */
async function violations(page: Page, include?: string) {
  const builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
  const { violations: found } = await (include ? builder.include(include) : builder).analyze()
  return found.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

/** A short local render: 4 s at 720p, with the given prompt, sample count and seed. */
async function compose(page: Page, text: string, samples: '1' | '2', seed: string) {
  await trySampleFrames(page)
  await page.getByLabel('Prompt', { exact: true }).fill(text)
  await pick(page, 'Duration', '4 s')
  await pick(page, 'Resolution', '720p')
  await pick(page, 'Samples', samples)
  await page.getByLabel('Seed', { exact: true }).fill(seed)
}

test('a running task shows its placeholders; its samples arrive numbered, as Local preview; Show marks them', async ({
  page,
}, testInfo) => {
  await compose(page, 'a quiet harbour at dawn', '2', '4242')
  await generate(page).click()

  // The gateway polls a task first 4 s after sending it (src/api/poll-interval.ts), so it is seen running at least that
  // long. First run: the placeholders replace the empty state, one per sample on its way, at the top of the list.
  await expect(placeholders(page)).toHaveCount(2)
  await expect(page.getByRole('button', { name: 'Try with sample frames' })).toHaveCount(0)
  await expect(placeholders(page).first()).toHaveAccessibleName(/a quiet harbour at dawn · 1 of 2/)
  await expect(placeholders(page).first().getByText('Local preview')).toBeVisible()
  await expect(placeholders(page).first().getByRole('progressbar')).toBeVisible()
  await expect(page.getByRole('list', { name: 'Samples' }).getByRole('listitem').first().getByRole('article')).toHaveAccessibleName(
    /^On its way:/,
  )
  await page.screenshot({ path: testInfo.outputPath('placeholders.png') })
  expect(await violations(page)).toEqual([])

  await expect(sampleCards(page)).toHaveCount(2, { timeout: 60_000 })
  await expect(placeholders(page)).toHaveCount(0)
  const first = page.getByRole('article', { name: /^Sample: a quiet harbour/ }).filter({ hasText: '1 of 2' })
  const second = page.getByRole('article', { name: /^Sample: a quiet harbour/ }).filter({ hasText: '2 of 2' })
  await expect(first.getByText('seed 4242 · 1 of 2')).toBeVisible()
  await expect(second.getByText('seed 4242 · 2 of 2')).toBeVisible()
  for (const card of [first, second]) await expect(card.getByText('Local preview', { exact: true })).toBeVisible()

  // Its file name says what it is.
  await expect(second.getByText('Saving…')).toHaveCount(0, { timeout: 30_000 })
  const download = page.waitForEvent('download')
  await second.getByRole('link', { name: 'Download' }).click()
  expect((await download).suggestedFilename()).toBe('a-quiet-harbour-at-dawn-local-preview-seed-4242-2.mp4')

  // Filters: by provider, and a seed typed as the chips say it.
  const provider = page.getByLabel('Provider filter')
  await provider.selectOption({ label: 'jiekou.ai' })
  await expect(sampleCards(page)).toHaveCount(0)
  await provider.selectOption({ label: 'Local preview' })
  await expect(sampleCards(page)).toHaveCount(2)
  await provider.selectOption({ label: 'All' })
  await page.getByLabel('Search').fill('seed 4242')
  await expect(sampleCards(page)).toHaveCount(2)
  await page.getByLabel('Search').fill('seed 424')
  await expect(sampleCards(page)).toHaveCount(0)
  await page.getByLabel('Search').fill('')

  // The player: the whole request, Local preview, the numbering, and Previous / Next through the list.
  await first.getByRole('button', { name: /^Open player/ }).click()
  const player = page.getByRole('dialog', { name: 'Player' })
  const request = player.getByRole('complementary', { name: 'Request' })
  await expect(request.getByText('Local preview', { exact: true })).toBeVisible()
  await expect(request.getByText('seed 4242 · 1 of 2')).toBeVisible()
  for (const [term, value] of [
    ['Model', 'Veo 3.1 · first and last frame'],
    ['Prompt', 'a quiet harbour at dawn'],
    ['Negative prompt', 'None'],
    ['Seed', '4242'],
    ['Duration', '4 s'],
    ['Resolution', '720p'],
    ['Aspect ratio', '16:9'],
    ['Generate audio', 'Off'],
  ]) {
    await expect(request.locator('dt', { hasText: new RegExp(`^${term}$`) }).locator('+ dd')).toHaveText(value!)
  }
  await expect(request.locator('dt', { hasText: /^Person generation$/ })).toBeVisible()
  await expect(request.getByRole('img', { name: 'First frame' })).toBeVisible()
  await expect(request.getByRole('img', { name: 'Last frame' })).toBeVisible()
  await expect(player.getByRole('button', { name: 'Previous' })).toBeDisabled()
  await page.screenshot({ path: testInfo.outputPath('player.png') })
  expect(await violations(page, 'dialog')).toEqual([])
  await player.getByRole('button', { name: 'Next' }).click()
  await expect(request.getByText('seed 4242 · 2 of 2')).toBeVisible()
  await expect(player.getByRole('button', { name: 'Next' })).toBeDisabled()
  await player.getByRole('button', { name: 'Previous' }).focus()
  await page.keyboard.press('PageUp')
  await expect(request.getByText('seed 4242 · 1 of 2')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(player).toBeHidden()

  // "Show 2 videos" on the task card marks the task's samples with the accent ring.
  await expect(page.locator('[data-highlighted]')).toHaveCount(0)
  await page
    .getByRole('article', { name: /^Task: a quiet harbour/ })
    .getByRole('button', { name: 'Show 2 videos' })
    .click()
  for (const card of [first, second]) {
    await expect(card).toHaveAttribute('data-highlighted', 'true')
    await expect.poll(() => card.evaluate((el) => getComputedStyle(el).boxShadow)).toMatch(/rgb/)
  }
  await page.screenshot({ path: testInfo.outputPath('highlighted.png') })
})

test('Delete offers Undo, which brings the sample back whole; a reload in the window keeps it; Esc lets it go', async ({
  page,
}, testInfo) => {
  await compose(page, 'a kite over the dunes', '1', '77')
  await generate(page).click()
  const card = page.getByRole('article', { name: /^Sample: a kite over the dunes/ })
  await expect(card).toHaveCount(1, { timeout: 60_000 })
  await expect(card.getByText('Saving…')).toHaveCount(0, { timeout: 30_000 })
  await card.getByRole('button', { name: /Favourite/ }).click()
  await expect(card.getByRole('button', { name: /Favourite/ })).toHaveAttribute('aria-pressed', 'true')

  // The card's focus ring is whole: nothing around the media button clips it.
  await card.getByRole('button', { name: /^Open player/ }).focus()
  await page.keyboard.press('Shift+Tab')
  await page.keyboard.press('Tab')
  await expect(card.getByRole('button', { name: /^Open player/ })).toBeFocused()
  expect(await card.evaluate((el) => getComputedStyle(el).overflow)).toBe('visible')
  const box = (await card.boundingBox())!
  await page.screenshot({
    path: testInfo.outputPath('focused-card.png'),
    clip: { x: box.x - 8, y: box.y - 8, width: box.width + 16, height: box.height + 16 },
  })
  await page.keyboard.press('Escape') // nothing to close: the card stays

  await card.getByRole('button', { name: 'Delete' }).click()
  await expect(card).toHaveCount(0)
  const toast = page.getByRole('status').filter({ has: page.getByRole('button', { name: 'Undo' }) })
  await expect(toast).toContainText('a kite over the dunes')
  await page.screenshot({ path: testInfo.outputPath('undo-toast.png') })
  expect(await violations(page)).toEqual([])
  await toast.getByRole('button', { name: 'Undo' }).click()
  await expect(toast).toHaveCount(0)
  await expect(card).toHaveCount(1)
  await expect(card.getByRole('button', { name: /Favourite/ })).toHaveAttribute('aria-pressed', 'true')
  // At rest: the still the gateway keeps of it, as an image.
  await expect(card.locator('img')).toHaveAttribute('src', /^\/api\/library\/files\/[0-9a-f]{64}$/)
  await expectPlays(await cardVideo(card))

  // A reload inside the window loses nothing: the sample is still there to bring back.
  await card.getByRole('button', { name: 'Delete' }).click()
  await expect(card).toHaveCount(0)
  await page.reload()
  await expect(toast.getByRole('button', { name: 'Undo' })).toBeVisible()
  await expect(card).toHaveCount(0)
  await toast.getByRole('button', { name: 'Undo' }).click()
  await expect(card).toHaveCount(1)
  await expectPlays(await cardVideo(card))

  // From the keyboard the focus follows to Undo; Esc dismisses the toast: the delete stands, also after a reload.
  await card.getByRole('button', { name: 'Delete' }).focus()
  await page.keyboard.press('Enter')
  await expect(toast.getByRole('button', { name: 'Undo' })).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(toast).toHaveCount(0)
  await page.reload()
  await expect(page.getByRole('region', { name: 'Gallery' })).toBeVisible()
  await expect(page.getByRole('article', { name: /^Task: a kite over the dunes/ })).toBeVisible()
  await expect(card).toHaveCount(0)
  await expect(toast).toHaveCount(0)
})

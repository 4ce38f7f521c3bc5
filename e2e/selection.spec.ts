import AxeBuilder from '@axe-core/playwright'
import { type Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { strFromU8, unzipSync } from 'fflate'
import { readFileSync } from 'node:fs'
import { pick, trySampleFrames } from './helpers'

const generate = (page: Page) => page.getByRole('button', { name: /^Generate/ })
const sampleCards = (page: Page) => page.getByRole('article', { name: /^Sample:/ })
const bar = (page: Page) => page.getByRole('toolbar', { name: 'Selection' })

/** Sends one short local render (4 s, 720p, one sample) with this prompt and seed, and waits for its task card. */
async function send(page: Page, prompt: string, seed: string) {
  await page.getByLabel('Prompt', { exact: true }).fill(prompt)
  await page.getByLabel('Seed', { exact: true }).fill(seed)
  await generate(page).click()
  await expect(page.getByRole('article', { name: new RegExp(`^Task: ${prompt}`) })).toBeVisible()
}

test('two selected samples: Favourite, Delete asks first and one Undo brings both back, Download zips videos and requests', async ({
  page,
}, testInfo) => {
  await trySampleFrames(page)
  await pick(page, 'Duration', '4 s')
  await pick(page, 'Resolution', '720p')
  await pick(page, 'Samples', '1')
  await send(page, 'a red kite over the dunes', '11')
  await send(page, 'a blue kite over the sea', '22')
  await expect(sampleCards(page)).toHaveCount(2, { timeout: 60_000 })
  await expect(page.getByText('Saving…')).toHaveCount(0, { timeout: 30_000 })
  const red = page.getByRole('article', { name: /^Sample: a red kite/ })
  const blue = page.getByRole('article', { name: /^Sample: a blue kite/ })

  // Nothing selected: no bar. Select sits on each card, reachable by its name.
  await expect(bar(page)).toHaveCount(0)
  await red.hover()
  await red.getByRole('checkbox', { name: 'Select' }).check()
  await expect(bar(page)).toContainText('1 selected')
  await blue.getByRole('checkbox', { name: 'Select' }).check()
  await expect(bar(page)).toContainText('2 selected')
  for (const card of [red, blue]) await expect(card).toHaveAttribute('data-selected', 'true')
  await page.screenshot({ path: testInfo.outputPath('selection-bar.png') })
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  expect(violations.map((v) => v.id)).toEqual([])

  // Favourite marks both; then the bar offers to unmark them.
  await bar(page).getByRole('button', { name: 'Favourite' }).click()
  for (const card of [red, blue]) await expect(card.getByRole('button', { name: /Favourite/ })).toHaveAttribute('aria-pressed', 'true')
  await expect(bar(page).getByRole('button', { name: 'Unfavourite' })).toBeVisible()

  // Delete asks first; Cancel keeps them, and the selection.
  await bar(page).getByRole('button', { name: 'Delete' }).click()
  const ask = page.getByRole('dialog', { name: 'Delete 2 videos?' })
  await expect(ask).toContainText('You can undo for 10 seconds')
  await ask.getByRole('button', { name: 'Cancel' }).click()
  await expect(ask).toBeHidden()
  await expect(sampleCards(page)).toHaveCount(2)
  await expect(bar(page)).toContainText('2 selected')

  // Delete removes both at once; one toast, whose Undo brings both back as they were.
  await bar(page).getByRole('button', { name: 'Delete' }).click()
  await ask.getByRole('button', { name: 'Delete' }).click()
  await expect(sampleCards(page)).toHaveCount(0)
  await expect(bar(page)).toHaveCount(0)
  const toast = page.getByRole('status').filter({ has: page.getByRole('button', { name: 'Undo' }) })
  await expect(toast).toHaveCount(1)
  await expect(toast).toContainText('2 videos deleted')
  await page.screenshot({ path: testInfo.outputPath('bulk-undo-toast.png') })
  await toast.getByRole('button', { name: 'Undo' }).click()
  await expect(sampleCards(page)).toHaveCount(2)
  for (const card of [red, blue]) await expect(card.getByRole('button', { name: /Favourite/ })).toHaveAttribute('aria-pressed', 'true')

  // Download: one zip with both videos and the request each was made with.
  await red.getByRole('checkbox', { name: 'Select' }).check()
  await blue.getByRole('checkbox', { name: 'Select' }).check()
  const downloading = page.waitForEvent('download')
  await bar(page).getByRole('button', { name: 'Download' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toBe('veo-studio-2-samples.zip')
  const files = unzipSync(readFileSync(await download.path()))
  const names = Object.keys(files).sort()
  expect(names).toEqual([
    'a-blue-kite-over-the-sea-local-preview-seed-22.mp4',
    'a-blue-kite-over-the-sea-local-preview-seed-22.request.json',
    'a-red-kite-over-the-dunes-local-preview-seed-11.mp4',
    'a-red-kite-over-the-dunes-local-preview-seed-11.request.json',
  ])
  for (const name of names.filter((n) => n.endsWith('.mp4'))) {
    // An MP4 opens with its ftyp box.
    expect(strFromU8(files[name]!.subarray(4, 8))).toBe('ftyp')
  }
  const request = JSON.parse(strFromU8(files['a-red-kite-over-the-dunes-local-preview-seed-11.request.json']!))
  expect(request).toMatchObject({ seed: '11', params: { prompt: 'a red kite over the dunes' } })
  await expect(bar(page)).toContainText('Saved veo-studio-2-samples.zip.')

  // Esc clears the selection.
  await page.keyboard.press('Escape')
  await expect(bar(page)).toHaveCount(0)
  for (const card of [red, blue]) await expect(card.getByRole('checkbox', { name: 'Select' })).not.toBeChecked()
})

import AxeBuilder from '@axe-core/playwright'
import { type Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { seedStoredSamples } from './seed'

/*
 * Issue 11: the gallery and the task strip hold hundreds of samples and tasks, and draw only what is on screen.
 * What a user sees still holds across the whole list: the count, the last sample at the end, Select on a sample far
 * away, and "Show 1 video" from a task card far along the strip.
 */

const N = 320
const samples = (page: Page) => page.getByRole('list', { name: 'Samples' })
const sample = (page: Page, i: number) => page.getByRole('article', { name: new RegExp(`^Sample: seeded sample ${i}:`) })
const bar = (page: Page) => page.getByRole('toolbar', { name: 'Selection' })
/** A file of the gateway's archive, by its SHA-256: where a seeded sample's video and still are kept. */
const archived = /^\/api\/library\/files\/[0-9a-f]{64}$/

test(`${N} samples: the count, the end of the list, Select far away, Show 1 video from far along the strip; few videos in the DOM`, async ({
  page,
}) => {
  await seedStoredSamples(page, N)
  await expect(page.getByText(`${N} of ${N}`, { exact: true })).toBeVisible()
  await expect(sample(page, N - 1)).toBeInViewport()
  // Only the cards on screen (and a row or two either side) are drawn, each with its stored poster as an image: a card
  // at rest holds no <video>. Hovered, it plays: then it holds one, over its poster; left, the poster alone again.
  const newest = sample(page, N - 1)
  await expect(newest.locator('img')).toHaveAttribute('src', archived)
  await expect(samples(page).locator('video')).toHaveCount(0)
  const media = newest.getByRole('button', { name: /^Open player: / })
  const box = (await media.boundingBox())!
  await media.hover()
  await expect(newest.locator('video')).toHaveAttribute('src', archived)
  await expect.poll(() => newest.locator('video').evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0)
  await expect(samples(page).locator('video')).toHaveCount(1)
  // Playing moves nothing: the media keeps its box.
  expect(await media.boundingBox()).toEqual(box)
  await page.mouse.move(0, 0)
  await expect(samples(page).locator('video')).toHaveCount(0)
  // The keyboard's focus plays it too, and leaving it rests it.
  await media.focus()
  await expect(newest.locator('video')).toHaveCount(1)
  await media.blur()
  await expect(samples(page).locator('video')).toHaveCount(0)
  // The list scrolling under a pointer at rest: once it is still, the card the pointer rests on plays, and only it.
  const list = (await samples(page).boundingBox())!
  const target = sample(page, N - 7)
  const targetMedia = (await target.getByRole('button', { name: /^Open player: / }).boundingBox())!
  const at = { x: targetMedia.x + targetMedia.width / 2, y: list.y + 100 }
  await page.mouse.move(at.x, at.y)
  await expect(samples(page).locator('video')).toHaveCount(1)
  await expect(target.locator('video')).toHaveCount(0)
  await samples(page).evaluate((el, by) => el.scrollBy({ top: by }), targetMedia.y + targetMedia.height / 2 - at.y)
  await expect(target.locator('video')).toHaveAttribute('src', archived)
  await expect(samples(page).locator('video')).toHaveCount(1)
  await page.mouse.move(0, 0)
  await samples(page).evaluate((el) => el.scrollTo({ top: 0 }))
  await expect.poll(() => page.locator('video').count()).toBeLessThanOrEqual(60)
  // Each drawn card says where it is in the whole list.
  await expect(samples(page).getByRole('listitem').first()).toHaveAttribute('aria-setsize', String(N))

  // Scrolled to the end (rows are measured as they come, so the end moves until they all have been): the last sample.
  await expect
    .poll(async () => {
      await samples(page).evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
      return sample(page, 0).count()
    })
    .toBe(1)
  await expect(sample(page, 0)).toBeInViewport()
  await expect(page.getByRole('listitem').filter({ has: sample(page, 0) })).toHaveAttribute('aria-posinset', String(N))
  await expect(sample(page, N - 1)).toHaveCount(0)
  await expect.poll(() => page.locator('video').count()).toBeLessThanOrEqual(60)
  // The rows not drawn are stood in for by hidden list items: still a well-formed list for assistive technology.
  const axe = await new AxeBuilder({ page })
    .include('[aria-label="Samples"]')
    .include('[aria-label="Tasks"]')
    .withTags(['wcag2a', 'wcag2aa'])
    .analyze()
  expect(axe.violations.map((v) => v.id)).toEqual([])

  // Select far down, then far up: the selection outlives the cards that scrolled away.
  await sample(page, 0).getByRole('checkbox', { name: 'Select' }).check()
  await expect(bar(page)).toContainText('1 selected')
  await samples(page).evaluate((el) => el.scrollTo({ top: 0 }))
  await sample(page, N - 1)
    .getByRole('checkbox', { name: 'Select' })
    .check()
  await expect(bar(page)).toContainText('2 selected')
  await expect(sample(page, 0)).toHaveCount(0)
  await bar(page).getByRole('button', { name: 'Clear selection' }).click()
  await expect(bar(page)).toHaveCount(0)

  // The strip draws only the cards in view too. Its card for sample 160, far along, shows that sample in the gallery.
  const strip = page.getByRole('list', { name: 'Tasks' })
  await expect.poll(() => strip.getByRole('article').count()).toBeLessThan(12)
  const far = page.getByRole('article', { name: /^Task: seeded sample 160:/ })
  // Newest first: its card is the strip's 160th from the start (cards are 416 px wide, 8 px apart).
  await strip.evaluate((el, left) => el.scrollTo({ left }), (N - 1 - 160) * 424)
  await expect(far).toBeInViewport()
  await far.getByRole('button', { name: 'Show 1 video' }).click()
  await expect(sample(page, 160)).toBeInViewport()
  await expect(sample(page, 160)).toHaveAttribute('data-highlighted', 'true')
  await expect.poll(() => page.locator('video').count()).toBeLessThanOrEqual(60)
})

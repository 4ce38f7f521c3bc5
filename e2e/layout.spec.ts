import { type Locator, type Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { seedFinishedTasks } from './seed'

/*
 * The studio is an app frame, not a page: the document never scrolls, the header stays put, and only the
 * panels scroll. A panel wheeled to its end hands the rest of the wheel to whatever holds it, so that is when a
 * document that can scroll would move.
 */

const documentFits = (page: Page) =>
  page.evaluate(() => {
    const doc = document.scrollingElement ?? document.documentElement
    return { height: doc.scrollHeight <= innerHeight, width: doc.scrollWidth <= innerWidth }
  })

/** Resolves after two frames: by then the browser has applied the wheel events already dispatched. */
const nextFrames = (page: Page) =>
  page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))))

const atEnd = (scroller: Locator) =>
  scroller.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 1 && el.scrollLeft + el.clientWidth >= el.scrollWidth - 1)

/** Wheels over the visible middle of `panel` until `scroller` is at its end, then a few more turns. */
async function wheelToEnd(page: Page, panel: Locator, scroller: Locator) {
  const box = await panel.boundingBox()
  if (!box) throw new Error('the panel is not on screen')
  const viewport = page.viewportSize()!
  const x = box.x + box.width / 2
  const y = (Math.max(box.y, 0) + Math.min(box.y + box.height, viewport.height)) / 2
  await page.mouse.move(x, y)
  // A vertical wheel, and a sideways one for the task strip (a trackpad's swipe). Turn after turn with no pause
  // between them (each waits two frames): expect.poll's growing pauses (up to 1 s) made a long panel take ~10 s.
  await expect
    .poll(
      async () => {
        await page.mouse.wheel(400, 400)
        await nextFrames(page)
        return atEnd(scroller)
      },
      { intervals: [0] },
    )
    .toBe(true)
  for (let i = 0; i < 4; i++) await page.mouse.wheel(400, 400)
  await nextFrames(page)
}

async function expectFrameHolds(page: Page) {
  expect(await page.evaluate(() => ({ x: scrollX, y: scrollY }))).toEqual({ x: 0, y: 0 })
  await expect(page.getByRole('button', { name: 'Settings', exact: true })).toBeInViewport({ ratio: 1 })
}

for (const size of [
  { width: 1440, height: 900 },
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
]) {
  test(`at ${size.width}×${size.height} the document never scrolls; only the panels do`, async ({ page }) => {
    await page.setViewportSize(size)
    await page.goto('/')
    await expect(page.getByRole('button', { name: 'Try with sample frames' })).toBeVisible()
    expect(await documentFits(page), 'an empty studio fits the window').toEqual({ height: true, width: true })

    await seedFinishedTasks(page, 14)
    const compose = page.getByRole('complementary', { name: 'Compose panel' })
    const samples = page.getByRole('list', { name: 'Samples' })
    // Drawn only where seen (virtualized): the count says all 28 are there.
    await expect(page.getByText('28 of 28', { exact: true })).toBeVisible()
    expect(await documentFits(page), 'a full studio fits the window').toEqual({ height: true, width: true })

    await wheelToEnd(page, compose, compose)
    await expectFrameHolds(page)

    await wheelToEnd(page, samples, samples)
    await expectFrameHolds(page)

    const tasks = page.getByRole('region', { name: 'Tasks panel' })
    // Narrower than 1280 px the tasks are a drawer.
    if (!(await tasks.isVisible())) await page.getByRole('button', { name: /^Tasks/ }).click()
    await expect(tasks.getByRole('listitem').first()).toHaveAttribute('aria-setsize', '14')
    await wheelToEnd(page, tasks, tasks.getByRole('list', { name: 'Tasks' }))
    await expectFrameHolds(page)
    expect(await documentFits(page), 'the studio still fits after all that wheeling').toEqual({ height: true, width: true })
  })
}

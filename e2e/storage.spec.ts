import { chromium, type BrowserContext, type Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromiumLaunchOptions } from '../testing/chromium'
import { FIRST_FRAME, dropFile, frameZone, pick, trySampleFrames } from './helpers'

/*
 * Issue 10's full disk, in Chromium: the DevTools protocol shrinks this origin's quota to a little above what the studio
 * already uses, so the next video copy (and a new frame) is refused for space. Then the quota is lifted, and nothing
 * is lost: the copy is made, the video plays from this device.
 *
 * Two things about Chromium shape the test. The override reaches only a profile on disk (a test's usual context is off
 * the record, with a quota of its own), so it runs in a persistent context. And IndexedDB asks for the space left once
 * and then spends from that answer for a while (about half a minute), so the quota is lowered before the browser starts
 * writing: the studio is opened once to store its frames, then the browser starts again on the same profile with the
 * quota already small.
 */

let profile: string
let context: BrowserContext
let page: Page

async function launch(baseURL: string | undefined) {
  context = await chromium.launchPersistentContext(profile, { ...chromiumLaunchOptions, baseURL, viewport: { width: 1440, height: 900 } })
  page = context.pages()[0] ?? (await context.newPage())
}

test.beforeEach(async ({ baseURL }) => {
  profile = mkdtempSync(join(tmpdir(), 'veo-storage-e2e-'))
  await launch(baseURL)
})
test.afterEach(async () => {
  const info = test.info()
  // The fixture's page is not this one: the failure's screenshot is taken here.
  if (info.status !== info.expectedStatus) await page.screenshot({ path: info.outputPath('studio.png') })
  await context.close()
  rmSync(profile, { recursive: true, force: true })
})

const usage = (on: Page) => on.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0)

/** The stored copies' bytes, read from IndexedDB: the proof that a video is on this device. */
const storedVideoBytes = (on: Page) =>
  on.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('veo-studio')
        open.addEventListener('error', () => reject(open.error))
        open.addEventListener('success', () => {
          const all = open.result.transaction('videos').objectStore('videos').getAll()
          all.addEventListener('success', () => resolve((all.result as { blob: Blob }[]).reduce((n, v) => n + v.blob.size, 0)))
          all.addEventListener('error', () => reject(all.error))
        })
      }),
  )

test('storage full: the banner and the card say so, a frame says so, and once space is back the video is kept', async ({ baseURL }) => {
  // The frames are stored with room to spare; then the browser starts again with room for task records only.
  await trySampleFrames(page)
  const origin = new URL(page.url()).origin
  const used = await usage(page)
  await context.close()
  await launch(baseURL)
  const cdp = await context.newCDPSession(page)
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: used + 48 * 1024 })
  // The draft kept its frames (stored already): the studio shows them again without a write. (Pressing Try with sample
  // frames again would load the sample's prompt over the one typed below, whenever its frames come back.)
  await page.goto('/')
  await expect(frameZone(page, 'Last frame').locator('img')).toBeVisible()
  await page.getByLabel('Prompt', { exact: true }).fill('a kite on a full disk')
  await pick(page, 'Duration', '4 s')
  await pick(page, 'Resolution', '720p')
  await page.getByRole('button', { name: 'Generate' }).click()

  const banner = page.getByRole('alert').filter({ hasText: /^Storage is full: \d+ video/ })
  await expect(banner).toContainText(
    /^Storage is full: 1 video is not kept on this device yet\. It still plays from the provider until \d/,
    {
      timeout: 60_000,
    },
  )
  const card = page.getByRole('article', { name: /^Sample: a kite on a full disk/ })
  await expect(card.getByText('Storage full: not kept yet')).toBeVisible()
  // Nothing is lost meanwhile: it plays from the provider's URL.
  await expect(card.locator('video')).toHaveAttribute('src', /\/api\/local\/videos\//)
  expect(await storedVideoBytes(page)).toBe(0)

  // A new frame is refused for space too, in plain words with the way out. (Its bytes differ from the stored frame's.)
  const bigger = join(profile, 'bigger.png')
  writeFileSync(bigger, Buffer.concat([readFileSync(FIRST_FRAME), Buffer.alloc(256 * 1024)]))
  await dropFile(page, frameZone(page, 'First frame'), bigger, 'bigger.png')
  await expect(page.getByText('Storage is full: this frame was not kept. Free space in Settings › Storage.')).toBeVisible()

  // Space again: Free space opens Settings at Storage and tries again at once; the video is kept, nothing lost.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin })
  await banner.getByRole('button', { name: 'Free space' }).click()
  const settings = page.getByRole('dialog', { name: 'Settings' })
  await expect(settings.getByRole('heading', { name: 'Storage' })).toBeFocused()
  await expect(banner).toBeHidden()
  await expect(card.getByText('Storage full: not kept yet')).toBeHidden()
  await expect.poll(() => storedVideoBytes(page)).toBeGreaterThan(1000)
  // The card's video is the stored copy now (its Download saves what it plays).
  await expect(card.getByRole('link', { name: 'Download' })).toHaveAttribute('href', /^blob:/)

  // Drop stored copies: asked first, with what it risks; the copy goes, the video stays listed, Keep on device brings it back.
  const free = settings.getByRole('group', { name: 'Free space' })
  await expect(free.getByText(/^1 video · /)).toBeVisible()
  await free.getByRole('button', { name: 'Drop stored copies' }).click()
  await expect(free.getByRole('alert')).toContainText(/If the studio is not open before .+, that video is gone\./)
  await free.getByRole('button', { name: 'Drop 1 copy' }).click()
  await expect(free.getByText(/^Dropped 1 copy: .+ freed\.$/)).toBeVisible()
  expect(await storedVideoBytes(page)).toBe(0)
  const away = free.getByRole('region', { name: 'Not on this device' })
  await expect(away).toContainText('a kite on a full disk Plays from the provider; gone after')
  await away.getByRole('button', { name: 'Keep on device' }).click()
  await expect(away).toBeHidden()
  await expect.poll(() => storedVideoBytes(page)).toBeGreaterThan(1000)
})

import { expect, test } from './fixtures'
import { FIRST_FRAME, chooseModel, frameZone, pick } from './helpers'
import { readFileSync } from 'node:fs'

const png = readFileSync(FIRST_FRAME)

test.describe('frames', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/')
    await chooseModel(page, 'Veo 3.1')
  })

  test('a GIF, even named .png, is refused with the frame, the problem and the fix', async ({ page }) => {
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(64)])
    await page.getByLabel('Last frame', { exact: true }).setInputFiles({ name: 'sunset.png', mimeType: 'image/png', buffer: gif })
    await expect(page.getByRole('alert')).toHaveText('Last frame is a GIF. Use a JPEG or PNG.')
    await expect(page.getByRole('button', { name: /^Generate/ })).toBeDisabled()
  })

  test('a 25 MB file is refused', async ({ page }) => {
    const big = Buffer.concat([png, Buffer.alloc(25 * 1024 * 1024 - png.length)])
    await page.getByLabel('First frame', { exact: true }).setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: big })
    await expect(page.getByRole('alert')).toContainText('First frame is 25.0 MB, over the 20 MB limit')
  })

  test('a corrupt PNG is refused', async ({ page }) => {
    const corrupt = Buffer.concat([png.subarray(0, 40), Buffer.alloc(200, 7)])
    await page.getByLabel('First frame', { exact: true }).setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: corrupt })
    await expect(page.getByRole('alert')).toContainText('First frame could not be opened')
  })

  test('a loaded frame shows its size, warns about the crop for 9:16, swaps and clears', async ({ page }) => {
    await page.getByLabel('First frame', { exact: true }).setInputFiles(FIRST_FRAME)
    const first = frameZone(page, 'First frame')
    await expect(page.getByText('1280×720', { exact: true })).toBeVisible()
    await expect(page.getByText(/\d+ KB/).first()).toBeVisible()
    await pick(page, 'Aspect ratio', '9:16')
    await expect(page.getByText('Cropped to 9:16')).toBeVisible()
    await expect(page.getByTestId('crop-outline')).toBeVisible()
    await page.getByRole('button', { name: 'Swap first and last frames' }).click()
    await expect(frameZone(page, 'Last frame').locator('img')).toBeVisible()
    await expect(first.locator('img')).toHaveCount(0)
    await page.getByRole('button', { name: 'Clear last frame' }).click()
    await expect(frameZone(page, 'Last frame').locator('img')).toHaveCount(0)
  })

  test('a frame can be pasted from the clipboard', async ({ page }) => {
    const zone = frameZone(page, 'First frame')
    await zone.focus()
    const base64 = png.toString('base64')
    await zone.evaluate((el, b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
      const dt = new DataTransfer()
      dt.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }))
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
    }, base64)
    await expect(page.getByText('1280×720', { exact: true })).toBeVisible()
  })

  test('a frame can be given by URL', async ({ page, baseURL }) => {
    await page.getByRole('button', { name: 'Image URL' }).first().click()
    await page.getByLabel('First frame URL').fill(`${baseURL}/samples/first-frame.png`)
    await page.getByRole('button', { name: 'Use', exact: true }).click()
    await expect(frameZone(page, 'First frame').locator('img')).toBeVisible()
  })
})

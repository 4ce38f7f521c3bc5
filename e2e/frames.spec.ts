import { type Locator, type Page } from '@playwright/test'
import { createHash } from 'node:crypto'
import { expect, test } from './fixtures'
import { queueRecord } from './gateway-record'
import { chooseModel, frameZone, pick } from './helpers'

const prompt = (page: Page) => page.getByLabel('Prompt', { exact: true })
const generate = (page: Page) => page.getByRole('button', { name: /^Generate/ })

interface MadeFile {
  name: string
  width: number
  height: number
  /** Left half, right half (CSS colours); noise on top, so a JPEG of it weighs what a photo does. */
  colours: [string, string]
  mime: 'image/png' | 'image/jpeg'
  /** Opacity of the paint (PNG only): below 1, the frame has transparency. */
  alpha?: number
}

/** Drops files made in the page (canvas), in order, as one drag from the desktop. Returns their sizes in bytes. */
async function dropMade(zone: Locator, files: MadeFile[]): Promise<number[]> {
  const page = zone.page()
  const handle = await page.evaluateHandle(async (specs) => {
    const dt = new DataTransfer()
    for (const f of specs) {
      const canvas = new OffscreenCanvas(f.width, f.height)
      const ctx = canvas.getContext('2d')!
      ctx.globalAlpha = f.alpha ?? 1
      ctx.fillStyle = f.colours[0]
      ctx.fillRect(0, 0, f.width / 2, f.height)
      ctx.fillStyle = f.colours[1]
      ctx.fillRect(f.width / 2, 0, f.width / 2, f.height)
      // Fine noise, seeded so every run weighs the same.
      const img = ctx.getImageData(0, 0, f.width, f.height)
      let s = 7
      for (let i = 0; i < img.data.length; i += 4) {
        s = (s * 1103515245 + 12345) & 0x7fffffff
        const n = (s % 41) - 20
        img.data[i] = Math.max(0, Math.min(255, img.data[i]! + n))
        img.data[i + 1] = Math.max(0, Math.min(255, img.data[i + 1]! + n))
        img.data[i + 2] = Math.max(0, Math.min(255, img.data[i + 2]! + n))
      }
      ctx.putImageData(img, 0, 0)
      const blob = await canvas.convertToBlob({ type: f.mime, quality: 0.95 })
      dt.items.add(new File([blob], f.name, { type: f.mime }))
    }
    return dt
  }, files)
  const sizes = await handle.evaluate((dt) => Array.from(dt.files, (f) => f.size))
  await zone.dispatchEvent('dragenter', { dataTransfer: handle })
  await zone.dispatchEvent('dragover', { dataTransfer: handle })
  await zone.dispatchEvent('drop', { dataTransfer: handle })
  return sizes
}

/** A maker of test images: the left half in the first colour, the right half in the second. */
const madeIn =
  (colours: MadeFile['colours'], mime: MadeFile['mime']) =>
  (name: string, width: number, height: number): MadeFile => ({ name, width, height, colours, mime })
const redBlue = madeIn(['#d02020', '#2040d0'], 'image/jpeg')
const greenOnly = madeIn(['#20a040', '#20a040'], 'image/png')

test.describe('frames', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/')
  })

  test('two files dropped on First frame fill First and Last, in order (Veo 3.1)', async ({ page }) => {
    await chooseModel(page, 'Veo 3.1')
    await dropMade(frameZone(page, 'First frame'), [greenOnly('a.png', 1280, 720), greenOnly('b.png', 640, 360)])
    await expect(frameZone(page, 'First frame').locator('img')).toBeVisible()
    await expect(frameZone(page, 'Last frame').locator('img')).toBeVisible()
    // Each zone shows its own frame's size: the first file went first.
    await expect(page.getByText('1280×720', { exact: true })).toHaveCount(1)
    await expect(page.getByText('640×360', { exact: true })).toHaveCount(1)
    const firstFacts = page.getByText('1280×720', { exact: true })
    const lastFacts = page.getByText('640×360', { exact: true })
    expect((await firstFacts.boundingBox())!.x).toBeLessThan((await lastFacts.boundingBox())!.x)
  })

  test('Veo 3.0 takes one frame and says so', async ({ page }) => {
    await chooseModel(page, 'Veo 3.0')
    await dropMade(frameZone(page, 'First frame'), [greenOnly('a.png', 1280, 720), greenOnly('b.png', 640, 360)])
    await expect(page.getByText('Veo 3.0 uses one frame: the first file is taken.')).toBeVisible()
    await expect(page.getByText('1280×720', { exact: true })).toBeVisible()
    await expect(page.getByText('640×360', { exact: true })).toHaveCount(0)
  })

  test('the zones take the shape of the output: 9:16 zones for 9:16, side by side in the panel', async ({ page }) => {
    await chooseModel(page, 'Veo 3.1')
    const first = frameZone(page, 'First frame')
    const last = frameZone(page, 'Last frame')
    await pick(page, 'Aspect ratio', '9:16')
    await expect(first).toHaveAttribute('data-aspect', '9:16')
    const a = (await first.boundingBox())!
    const b = (await last.boundingBox())!
    expect(a.height / a.width).toBeCloseTo(16 / 9, 1)
    expect(a.width).toBeGreaterThan(120)
    expect(Math.abs(a.y - b.y)).toBeLessThan(2)
    await pick(page, 'Aspect ratio', '16:9')
    await expect(first).toHaveAttribute('data-aspect', '16:9')
    const c = (await first.boundingBox())!
    expect(c.width / c.height).toBeCloseTo(16 / 9, 1)
  })

  test('the crop is chosen by dragging, and the frame is sent cropped to it at the output size', async ({ page }) => {
    // It ends with a real render on the local engine, which every test shares.
    test.setTimeout(180_000)
    await chooseModel(page, 'Veo 3.1')
    await pick(page, 'Aspect ratio', '9:16')
    await pick(page, 'Resolution', '720p')
    // 4:3, red on the left and blue on the right: 9:16 keeps a column of it.
    const [original] = await dropMade(frameZone(page, 'First frame'), [redBlue('big.jpg', 4000, 3000)])
    await expect(page.getByText('4000×3000', { exact: true })).toBeVisible()
    await dropMade(frameZone(page, 'Last frame'), [greenOnly('last.png', 1280, 720)])
    await expect(frameZone(page, 'Last frame').locator('img')).toBeVisible()

    const crop = page.getByRole('slider', { name: 'Crop of first frame' })
    await expect(crop).toHaveAttribute('aria-valuetext', 'Centred')
    // Drag the outline to the left, past the edge: it stops there.
    const box = (await crop.boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x - 200, box.y + box.height / 2, { steps: 5 })
    await page.mouse.up()
    await expect(crop).toHaveAttribute('aria-valuetext', 'Left edge')
    // The keyboard moves it too.
    await crop.press('End')
    await expect(crop).toHaveAttribute('aria-valuetext', 'Right edge')
    await crop.press('Home')
    await expect(crop).toHaveAttribute('aria-valuetext', 'Left edge')
    await crop.press('ArrowRight')
    await expect(crop).toHaveAttribute('aria-valuetext', /^\d+%$/)
    await crop.press('Home')
    await expect(crop).toHaveAttribute('aria-valuetext', 'Left edge')

    // The preview says what is sent, with the real bytes once made.
    await page.getByText('Request preview').click()
    await expect(page.getByText(/^First frame: 720×1280 JPEG, \d+ KB, cropped from 4000×3000$/)).toBeVisible()

    await prompt(page).fill('slow push in')
    const handover = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/library/requests')
    await generate(page).click()
    const [handed] = ((await handover).postDataJSON() as { requests: { id: string; body: Record<string, { $blob: string }> }[] }).requests
    // The body names each frame by the SHA-256 of the bytes to send (put to the gateway first); the gateway's runner
    // puts those bytes back in as it sends. The bytes sent are the file of that hash.
    const frameBytes = async (field: 'image' | 'last_image') => {
      const sha = handed!.body[field]!.$blob
      const file = await page.request.get(`/api/library/files/${sha}`)
      expect(file.ok()).toBe(true)
      const bytes = await file.body()
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha)
      return bytes.toString('base64')
    }
    const body = { image: await frameBytes('image'), last_image: await frameBytes('last_image') }
    // The local engine takes it (it cover-fits whatever it gets): the gateway's record says it went, once.
    await expect.poll(async () => (await queueRecord(page, handed!.id)).state, { timeout: 60_000 }).toBe('sent')
    expect((await queueRecord(page, handed!.id)).attempts).toBe(1)

    const sent = await page.evaluate(
      async (b64s) => {
        const out = []
        for (const b64 of b64s) {
          const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
          const bitmap = await createImageBitmap(new Blob([bytes]))
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
          const ctx = canvas.getContext('2d')!
          ctx.drawImage(bitmap, 0, 0)
          const colourAt = (x: number) =>
            Array.from(ctx.getImageData(Math.round(x * bitmap.width), bitmap.height / 2, 1, 1).data.slice(0, 3))
          out.push({
            width: bitmap.width,
            height: bitmap.height,
            bytes: bytes.length,
            jpeg: bytes[0] === 0xff && bytes[1] === 0xd8,
            left: colourAt(0.1),
            right: colourAt(0.9),
          })
        }
        return out
      },
      [body.image, body.last_image],
    )
    const [first, last] = sent
    console.log(`sent first frame: ${first!.width}×${first!.height}, ${first!.bytes} bytes (original 4000×3000, ${original} bytes)`)
    expect({ width: first!.width, height: first!.height }).toEqual({ width: 720, height: 1280 })
    expect(first!.jpeg).toBe(true)
    expect(first!.bytes * 5).toBeLessThan(original!)
    // The left of the frame was kept: red across the whole sent frame.
    for (const [r, , b] of [first!.left, first!.right]) expect(r! - b!).toBeGreaterThan(80)
    // The untouched last frame is cropped centred and scaled to the output size too.
    expect({ width: last!.width, height: last!.height }).toEqual({ width: 720, height: 1280 })
    // And the local engine renders from what it was sent.
    await expect(page.getByRole('article', { name: /^Sample: slow push in/ })).toBeVisible({ timeout: 120_000 })
  })

  test('a frame with transparency stays PNG; one already at the output size is sent as stored', async ({ page }) => {
    await chooseModel(page, 'Veo 3.1')
    await pick(page, 'Resolution', '720p')
    await dropMade(frameZone(page, 'First frame'), [
      { ...greenOnly('see-through.png', 1600, 900), alpha: 0.5 },
      greenOnly('exact.png', 1280, 720),
    ])
    await expect(frameZone(page, 'Last frame').locator('img')).toBeVisible()
    await page.getByText('Request preview').click()
    await expect(page.getByText(/^First frame: 1280×720 PNG, [\d.]+ [KM]B, scaled from 1600×900$/)).toBeVisible()
    await expect(page.getByText(/^Last frame: 1280×720 PNG, [\d.]+ [KM]B, as stored$/)).toBeVisible()
  })

  test('at 1024 px the frame labels stay on one line', async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 768 })
    await chooseModel(page, 'Veo 3.1')
    for (const aspect of ['16:9', '9:16']) {
      await pick(page, 'Aspect ratio', aspect)
      const label = page.getByText(/^First frame\*?$/)
      const height = (await label.boundingBox())!.height
      expect(height).toBeLessThan(24)
    }
  })
})

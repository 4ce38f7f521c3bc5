import { type Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { readFileSync } from 'node:fs'
import { FIRST_FRAME, LAST_FRAME, chooseModel, frameZone, trySampleFrames } from './helpers'

const prompt = (page: Page) => page.getByLabel('Prompt', { exact: true })

test('Copy as curl is short and runs with the downloaded request.json, which holds the frames in full and no key', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await trySampleFrames(page)
  await page.getByText('Request preview').click()
  await page.getByRole('button', { name: 'Copy as curl' }).click()
  const curl = await page.evaluate(() => navigator.clipboard.readText())
  expect(curl).toBe(
    [
      "curl -X POST 'https://api.jiekou.ai/v3/async/veo-3.1-generate-firstlastframe'",
      "  -H 'Content-Type: application/json'",
      '  -H "Authorization: Bearer $JIEKOU_API_KEY"',
      '  --data @request.json',
    ].join(' \\\n'),
  )
  await expect(page.getByText(/reads its body from request\.json/)).toBeVisible()

  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Download request.json' }).click()
  const file = await download
  expect(file.suggestedFilename()).toBe('request.json')
  const text = readFileSync(await file.path(), 'utf8')
  expect(text).not.toMatch(/Bearer|api_key|Authorization/i)
  const body = JSON.parse(text) as Record<string, unknown>
  expect(body).toMatchObject({ prompt: 'The sun rises over the hills, slow push in', aspect_ratio: '16:9' })
  // The sample frames are 1280×720 PNGs, already the 720p output size: sent exactly as stored.
  expect(Buffer.from(String(body.image), 'base64').equals(readFileSync(FIRST_FRAME))).toBe(true)
  expect(Buffer.from(String(body.last_image), 'base64').equals(readFileSync(LAST_FRAME))).toBe(true)
})

test('the request preview wraps long lines inside the panel', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 })
  await trySampleFrames(page)
  const form = page.getByRole('form', { name: 'Compose' })
  const before = (await form.boundingBox())!.width
  await prompt(page).fill(`${'a-very-long-word-without-any-space-'.repeat(20)}end`)
  await page.getByText('Request preview').click()
  const json = page.getByLabel('Request JSON')
  await expect(json).toContainText('end"')
  expect(await json.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
  expect((await form.boundingBox())!.width).toBe(before)
})

test.describe('a frame given by URL is checked through the gateway', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/')
    await chooseModel(page, 'Veo 3.1')
  })

  test('an address that cannot be fetched is refused in its zone, with the way out', async ({ page }) => {
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    await page.route('**/api/frame-check?**', async (route) => {
      await held
      await route.fulfill({
        status: 400,
        json: {
          code: 400,
          reason: 'INVALID_REQUEST_BODY',
          message: "This address can't be reached. Check the link, or drop the file instead.",
          metadata: { detail: 'getaddrinfo ENOTFOUND nowhere.invalid' },
        },
      })
    })
    await page.getByRole('button', { name: 'Image URL' }).nth(1).click()
    await page.getByLabel('Last frame URL').fill('https://nowhere.invalid/last.png')
    await page.getByRole('button', { name: 'Use', exact: true }).click()
    await expect(frameZone(page, 'Last frame')).toContainText('Checking…')
    release()
    await expect(page.getByRole('alert')).toHaveText("Last frame: this address can't be reached. Check the link, or drop the file instead.")
    await expect(frameZone(page, 'Last frame').locator('img')).toHaveCount(0)
    await expect(page.getByText('Add a first frame and a last frame.')).toBeVisible()
  })

  test('through the real gateway: an address with nothing behind it is refused in its zone', async ({ page }) => {
    // No stub: the gateway really tries the address (a closed loopback port; the e2e gateway allows loopback).
    await page.getByRole('button', { name: 'Image URL' }).nth(1).click()
    await page.getByLabel('Last frame URL').fill('http://127.0.0.1:9/last.png')
    await page.getByRole('button', { name: 'Use', exact: true }).click()
    await expect(page.getByRole('alert')).toHaveText("Last frame: this address can't be reached. Check the link, or drop the file instead.")
    await expect(frameZone(page, 'Last frame').locator('img')).toHaveCount(0)
  })

  test('an address the gateway can fetch is taken, with its size', async ({ page, baseURL }) => {
    const url = `${baseURL}/samples/last-frame.png`
    let asked = ''
    await page.route('**/api/frame-check?**', async (route) => {
      asked = new URL(route.request().url()).searchParams.get('url') ?? ''
      await route.fulfill({ json: { mime: 'image/png', width: 1280, height: 720, bytes: 654_321 } })
    })
    await page.getByRole('button', { name: 'Image URL' }).nth(1).click()
    await page.getByLabel('Last frame URL').fill(url)
    await page.getByRole('button', { name: 'Use', exact: true }).click()
    await expect(frameZone(page, 'Last frame').locator('img')).toBeVisible()
    await expect(page.getByText('1280×720', { exact: true })).toBeVisible()
    expect(asked).toBe(url)
    await expect(page.getByRole('alert')).toHaveCount(0)
  })
})

test.describe('words', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/')
  })

  test("Veo 3.0's Generate audio says it is always sent, with no required mark", async ({ page }) => {
    await chooseModel(page, 'Veo 3.0')
    const audio = page.getByLabel('Generate audio')
    await expect(audio).toBeVisible()
    const row = audio.locator('xpath=..')
    await expect(row).toContainText('always sent')
    await expect(row).not.toContainText('*')
  })

  test('the seed range reads the same in its help and its error', async ({ page }) => {
    await chooseModel(page, 'Veo 3.1')
    const seed = page.getByLabel('Seed', { exact: true })
    await expect(page.getByText(/^0 to 4,294,967,295\. Empty draws a new seed/)).toBeVisible()
    await seed.fill('4294967296')
    await expect(page.getByText('Seed must be a whole number from 0 to 4,294,967,295.').first()).toBeVisible()
  })

  test('a long prompt shows its length', async ({ page }) => {
    await chooseModel(page, 'Veo 3.1')
    await prompt(page).fill('x'.repeat(199))
    await expect(page.getByText(/\d+ characters$/)).toHaveCount(0)
    await prompt(page).fill('x'.repeat(512))
    await expect(page.getByText('512 characters', { exact: true })).toBeVisible()
  })
})

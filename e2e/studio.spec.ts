import { type Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { FIRST_FRAME, cardVideo, chooseModel, expectPlays, frameZone, pick, trySampleFrames } from './helpers'

const generate = (page: Page) => page.getByRole('button', { name: /^Generate/ })
const prompt = (page: Page) => page.getByLabel('Prompt', { exact: true })
const sampleCards = (page: Page) => page.getByRole('article', { name: /^Sample:/ })

/** The prompts of the tasks the gateway holds for this test, newest first. */
async function gatewayPrompts(page: Page): Promise<string[]> {
  const res = await page.request.get('/api/library/tasks')
  expect(res.ok()).toBe(true)
  const { items } = (await res.json()) as { items: { request: { params: { prompt?: string } } }[] }
  return items.map((t) => t.request.params.prompt ?? '')
}

test('first run: Try with sample frames gives a playing video with no key', async ({ page }) => {
  await trySampleFrames(page)
  await expect(prompt(page)).toHaveValue(/sun rises/)
  await generate(page).click()
  await expect(sampleCards(page)).toHaveCount(1, { timeout: 60_000 })
  await expectPlays(await cardVideo(sampleCards(page).first()))
})

test('Generate: disabled with the reason, Ctrl+Enter sends, one press makes one task', async ({ page }) => {
  await page.goto('/')
  await chooseModel(page, 'Veo 3.1')
  await expect(generate(page)).toBeDisabled()
  await expect(page.getByText('Add a first frame and a last frame.')).toBeVisible()
  await page.getByLabel('First frame', { exact: true }).setInputFiles(FIRST_FRAME)
  await page.getByLabel('Last frame', { exact: true }).setInputFiles(FIRST_FRAME)
  await expect(page.getByText('Write a prompt.')).toBeVisible()
  await prompt(page).fill('static shot, hold still')
  await pick(page, 'Duration', '4 s')
  await expect(generate(page)).toBeEnabled()

  await prompt(page).press('Control+Enter')
  await expect(page.getByRole('article', { name: /^Task: static shot/ })).toHaveCount(1)
  // A double press hands one request to the gateway, not two, and the gateway makes one task of it.
  const handed: number[] = []
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/library/requests')
      handed.push((r.postDataJSON() as { requests: unknown[] }).requests.length)
  })
  await prompt(page).fill('double press')
  await generate(page).dblclick()
  await expect(page.getByRole('article', { name: /^Task: double press/ })).toHaveCount(1)
  // Proving that a second task never comes needs a window, not a wait: nothing signals an absence. The gateway sends
  // a request to the local engine within tens of milliseconds, so a second one from the double press would have
  // become a task, and shown, well inside 1.5 s.
  await page.waitForTimeout(1500)
  await expect(page.getByRole('article', { name: /^Task: double press/ })).toHaveCount(1)
  expect(handed, 'requests handed to the gateway by the double press').toEqual([1])
  expect(await gatewayPrompts(page), 'the tasks the gateway made').toEqual(['double press', 'static shot, hold still'])
})

test('switching models keeps the prompt, the first frame and shared settings; 3.1 locks Enhance prompt', async ({ page }) => {
  await page.goto('/')
  await chooseModel(page, 'Veo 3.0')
  await page.getByLabel('First frame', { exact: true }).setInputFiles(FIRST_FRAME)
  await prompt(page).fill('zoom out slowly')
  await pick(page, 'Resolution', '1080p')
  await page.getByLabel('Enhance prompt').uncheck()
  await chooseModel(page, 'Veo 3.1')
  await expect(prompt(page)).toHaveValue('zoom out slowly')
  await expect(frameZone(page, 'First frame').locator('img')).toBeVisible()
  await expect(page.getByRole('group', { name: 'Resolution' }).getByRole('radio', { name: '1080p' })).toBeChecked()
  await expect(page.getByLabel('Enhance prompt')).toBeChecked()
  await expect(page.getByLabel('Enhance prompt')).toBeDisabled()
  await expect(page.getByText('Veo 3.x cannot turn prompt enhancement off.')).toBeVisible()
})

test('request preview shows the exact JSON with base64 elided, and curl without the key', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await trySampleFrames(page)
  await page.getByText('Request preview').click()
  const json = JSON.parse((await page.getByLabel('Request JSON').textContent()) ?? '{}') as Record<string, unknown>
  expect(json).toMatchObject({
    prompt: 'The sun rises over the hills, slow push in',
    duration_seconds: 4,
    enhance_prompt: true,
    aspect_ratio: '16:9',
  })
  expect(String(json.image)).toMatch(/^<base64 1280×720 PNG, \d+ KB, as stored, elided>$/)
  await page.getByRole('button', { name: 'Copy as curl' }).click()
  const curl = await page.evaluate(() => navigator.clipboard.readText())
  expect(curl).toContain('/v3/async/veo-3.1-generate-firstlastframe')
  expect(curl).toContain('$JIEKOU_API_KEY')
})

test('a failed task shows its reason, and Retry sends the same request again', async ({ page }) => {
  await trySampleFrames(page)
  await prompt(page).fill('make it fail [engine:fail]')
  await generate(page).click()
  const task = page.getByRole('article', { name: /^Task: make it fail/ })
  await expect(task.getByText(/Failed: Local engine: failure requested/)).toBeVisible({ timeout: 60_000 })
  await task.getByRole('button', { name: 'Retry' }).click()
  await expect(page.getByRole('article', { name: /^Task: make it fail/ })).toHaveCount(2)
  await expect(task.getByRole('button', { name: 'Retry' })).toHaveCount(0)
})

test('a task that succeeds with no video says so plainly', async ({ page }) => {
  await trySampleFrames(page)
  await prompt(page).fill('filtered [engine:empty]')
  await generate(page).click()
  const task = page.getByRole('article', { name: /^Task: filtered/ })
  await expect(task.getByText(/No video returned/)).toBeVisible({ timeout: 60_000 })
  await expect(sampleCards(page)).toHaveCount(0)
})

test('a reload in the middle of a task: it finishes; a reload afterwards: everything is still there', async ({ page }) => {
  await trySampleFrames(page)
  await prompt(page).fill('reload while rendering')
  await pick(page, 'Samples', '2')
  await generate(page).click()
  const task = page.getByRole('article', { name: /^Task: reload while rendering/ })
  await expect(task.getByRole('progressbar')).toBeVisible()
  await expect(task.getByText(/✓/)).toHaveCount(0)
  await page.reload()
  await expect(task.getByText(/^✓ Done · 2 videos · /)).toBeVisible({ timeout: 60_000 })
  await expect(sampleCards(page)).toHaveCount(2)
  await expect(sampleCards(page).first().getByText('Saving…')).toHaveCount(0)

  // The draft, the tasks and the samples all survive.
  await prompt(page).fill('draft kept')
  await page.reload()
  await expect(prompt(page)).toHaveValue('draft kept')
  await expect(frameZone(page, 'Last frame').locator('img')).toBeVisible()
  await expect(task.getByText(/^✓ Done · 2 videos · /)).toBeVisible()
  await expect(sampleCards(page)).toHaveCount(2)
  await expectPlays(await cardVideo(sampleCards(page).first()))
})

test("a video URL that now answers 404 still plays from the gateway's archive", async ({ page }) => {
  await trySampleFrames(page)
  await prompt(page).fill('kept in the library')
  await generate(page).click()
  await expect(sampleCards(page)).toHaveCount(1, { timeout: 60_000 })
  await expect(sampleCards(page).first().getByText('Saving…')).toHaveCount(0)
  // From now on the provider's video links are gone.
  const askedTheProvider: string[] = []
  await page.route('**/api/local/videos/**', (route) => {
    askedTheProvider.push(route.request().url())
    return route.fulfill({ status: 404, contentType: 'application/json', body: '{"code":404,"reason":"NOT_FOUND"}' })
  })
  await page.reload()
  const card = sampleCards(page).first()
  // At rest the card shows the still the gateway took from its copy, as an image: no <video> until it is played.
  const archived = /^\/api\/library\/files\/[0-9a-f]{64}$/
  await expect(card.locator('img')).toHaveAttribute('src', archived)
  await expect(card.locator('video')).toHaveCount(0)
  const video = await cardVideo(card)
  await expect(video).toHaveAttribute('src', archived)
  await expect(video).toHaveAttribute('poster', archived)
  await expectPlays(video, { width: 1280, height: 720 })
  // Its Download saves the copy it plays.
  await expect(card.getByRole('link', { name: 'Download' })).toHaveAttribute('href', (await video.getAttribute('src'))!)
  expect(askedTheProvider, 'video links the page asked for').toEqual([])
})

test('gallery: favourite, filter, search, download name, player, use these settings, delete', async ({ page }) => {
  await trySampleFrames(page)
  await pick(page, 'Samples', '2')
  await page.getByLabel('Seed', { exact: true }).fill('4242')
  await generate(page).click()
  // An unlocked seed is cleared once the task exists, ready for a fresh one.
  await expect(page.getByLabel('Seed', { exact: true })).toHaveValue('')
  await expect(sampleCards(page)).toHaveCount(2, { timeout: 60_000 })
  const card = sampleCards(page).first()
  await expect(card.getByText('seed 4242')).toBeVisible()
  await expect(card.getByText('Veo 3.1')).toBeVisible()

  await card.getByRole('button', { name: /Favourite/ }).click()
  await expect(card.getByRole('button', { name: /Favourite/ })).toHaveAttribute('aria-pressed', 'true')
  await page.getByLabel('Favourites only').check()
  await expect(sampleCards(page)).toHaveCount(1)
  await page.getByLabel('Favourites only').uncheck()
  await page.getByLabel('Model filter').selectOption({ label: 'Veo 3.0' })
  await expect(sampleCards(page)).toHaveCount(0)
  await page.getByLabel('Model filter').selectOption({ label: 'All models' })
  await page.getByLabel('Search').fill('no such prompt')
  await expect(sampleCards(page)).toHaveCount(0)
  await page.getByLabel('Search').fill('sun rises')
  await expect(sampleCards(page)).toHaveCount(2)

  const download = page.waitForEvent('download')
  await card.getByRole('link', { name: 'Download' }).click()
  expect((await download).suggestedFilename()).toMatch(/^the-sun-rises-over-the-hills-slow-push-in-local-preview-seed-4242(-2)?\.mp4$/)

  await card.getByRole('button', { name: /^Open player/ }).click()
  const player = page.getByRole('dialog', { name: 'Player' })
  await expect(player).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(player).toBeHidden()

  await prompt(page).fill('something else')
  await chooseModel(page, 'Veo 3.0')
  await card.getByRole('button', { name: 'Use these settings' }).click()
  await expect(prompt(page)).toHaveValue('The sun rises over the hills, slow push in')
  await expect(page.getByRole('group', { name: 'Model' }).getByRole('radio', { name: 'Veo 3.1' })).toBeChecked()
  await expect(page.getByLabel('Seed', { exact: true })).toHaveValue('4242')
  await expect(page.getByRole('checkbox', { name: 'Lock', exact: true })).toBeChecked()
  await expect(frameZone(page, 'Last frame').locator('img')).toBeVisible()

  await card.getByRole('button', { name: 'Delete' }).click()
  await expect(sampleCards(page)).toHaveCount(1)
})

test('everything is reachable by keyboard with a visible focus', async ({ page }) => {
  await page.goto('/')
  // Compose comes with the studio's chunk, after the first paint: tabbing before it is there finds only the frame
  // (on a busy machine all 40 presses did, once).
  await expect(page.getByLabel('Prompt', { exact: true })).toBeVisible()
  const seen = new Set<string>()
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab')
    const info = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null
      if (!el || el === document.body) return null
      const style = getComputedStyle(el)
      const ring = style.outlineStyle !== 'none' && style.outlineWidth !== '0px'
      const byIds = (ids: string | null) =>
        ids
          ?.split(' ')
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' ')
      const input = el as HTMLInputElement
      const label =
        el.getAttribute('aria-label') || byIds(el.getAttribute('aria-labelledby')) || input.labels?.[0]?.textContent || el.textContent || ''
      return { label: (label ?? '').trim().slice(0, 30), ring }
    })
    if (info) {
      seen.add(info.label)
      expect(info.ring, `focus ring on "${info.label}"`).toBe(true)
    }
  }
  // A radio group is one tab stop: the chosen model; arrows move within it.
  expect([...seen].join('|')).toMatch(/Veo 3\.0/)
  expect([...seen].join('|')).toMatch(/First frame/)
  expect([...seen].join('|')).toMatch(/Prompt/)
  expect([...seen].join('|')).toMatch(/Settings/)
  const model = page.getByRole('group', { name: 'Model' })
  await model.getByRole('radio', { name: 'Veo 3.0' }).focus()
  await page.keyboard.press('ArrowRight')
  await expect(model.getByRole('radio', { name: 'Veo 3.1' })).toBeChecked()
})

test('at 1024 px the tasks fold into a drawer; / searches and ? lists the shortcuts', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 })
  await page.goto('/')
  const tasks = page.getByRole('region', { name: 'Tasks panel' })
  await expect(tasks).toBeHidden()
  await page.getByRole('button', { name: 'Tasks', exact: true }).click()
  await expect(tasks).toBeVisible()
  await expect(page.getByRole('button', { name: /^Generate/ })).toBeInViewport()

  await page.locator('body').click({ position: { x: 700, y: 300 } })
  await page.keyboard.press('/')
  await expect(page.getByLabel('Search')).toBeFocused()
  await page.getByLabel('Search').blur()
  await page.keyboard.press('?')
  const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(shortcuts).toContainText('Generate')
  await page.keyboard.press('Escape')
  await expect(shortcuts).toBeHidden()
})

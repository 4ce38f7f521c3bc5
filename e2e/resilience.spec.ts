import { expect, test } from './fixtures'
import { cardVideo, expectPlays, trySampleFrames } from './helpers'

test('each task has exactly one poller, and polling stops when it is done', async ({ page }) => {
  const polls: { id: string; at: number }[] = []
  page.on('request', (r) => {
    const url = new URL(r.url())
    if (url.pathname.endsWith('/v3/async/task-result')) polls.push({ id: url.searchParams.get('task_id') ?? '', at: Date.now() })
  })
  await trySampleFrames(page)
  await page.getByRole('group', { name: 'Samples' }).getByRole('radio', { name: '2', exact: true }).check()
  await page.getByRole('button', { name: 'Generate' }).click()
  await expect(page.getByRole('article', { name: /^Task:/ }).getByText('✓ 2 videos')).toBeVisible({ timeout: 60_000 })
  const done = polls.length
  expect(done).toBeGreaterThan(0)
  // Two pollers would ask about the same task at nearly the same moment.
  const gaps = polls.slice(1).map((p, i) => p.at - polls[i]!.at)
  for (const gap of gaps) expect(gap, 'gap between polls (ms)').toBeGreaterThan(500)
  // Proving that polling has stopped needs a window, not a wait: nothing signals an absence. The window
  // outlasts the longest gap this task's poller left between two polls (and is never under 2.5 s), so a
  // poller that carried on would have asked again inside it.
  await page.waitForTimeout(Math.max(2500, ...gaps.map((gap) => gap + 500)))
  expect(polls.length, 'no polls after the final status').toBe(done)
})

test('a flaky provider (503 then 429) costs nothing: polling backs off and the task still finishes', async ({ page }) => {
  let refused = 0
  await page.route('**/api/local/v3/async/task-result*', async (route) => {
    if (refused < 3) {
      refused += 1
      const status = refused === 3 ? 429 : 503
      return route.fulfill({
        status,
        json: {
          code: status,
          reason: status === 429 ? 'RATE_LIMIT_EXCEEDED' : 'SERVICE_NOT_AVAILABLE',
          message: 'try later',
          metadata: {},
        },
      })
    }
    return route.continue()
  })
  await trySampleFrames(page)
  await page.getByLabel('Prompt', { exact: true }).fill('through a flaky network')
  await page.getByRole('button', { name: 'Generate' }).click()
  const task = page.getByRole('article', { name: /^Task: through a flaky network/ })
  await expect(task.getByText('Connection trouble; still checking…')).toBeVisible()
  await expect(task.getByText('✓ 1 video')).toBeVisible({ timeout: 60_000 })
  expect(refused).toBe(3)
  await expectPlays(await cardVideo(page.getByRole('article', { name: /^Sample: through a flaky network/ })))
})

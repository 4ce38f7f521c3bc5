import { type Locator } from '@playwright/test'
import { expect, test, workspaceHeaders } from './fixtures'
import { errorBody } from '../testing/stub-upstream'
import { gatewayCut } from './gateway-cut'
import { cardVideo, expectPlays } from './helpers'
import { FAULT_GATEWAY, done, fault, generate, openOnStub, samples, stub, taskIdOf } from './stub'

/*
 * jiekou.ai's faults, injected by a stub upstream on loopback behind a real gateway that holds the key. The gateway's
 * runner sends and polls (the browser only shows the library): it must survive each fault without losing a task, and
 * recover by itself once the cause is gone (past the poll limit, with one Retry). Counted from the stub's own log:
 * what the provider really received, from the runner.
 */

test.use({ baseURL: FAULT_GATEWAY })
// One stub for all: its tests run in order, in one worker.
test.describe.configure({ mode: 'serial' })
test.beforeEach(() => stub.reset())

test('a burst of 500s while the gateway polls: it backs off, the card says it is still checking, and the task finishes by itself', async ({
  page,
}) => {
  await openOnStub(page)
  await stub.faults(fault('task-result', 500, 3))
  const card = await generate(page, 'a kite through a burst of 500s')
  await expect(card).toContainText('Connection trouble; still checking…')
  await done(card)
  await expect(card).not.toContainText('still checking')
  await expect(samples(page)).toHaveCount(1)
  const polls = await stub.seen('task-result', await taskIdOf())
  expect(polls.slice(0, 4).map((p) => p.status)).toEqual([500, 500, 500, 200])
  // The rule's back-off (src/api/poll-interval.ts): 1 s, 2 s, 4 s, each ±25 %; the runner's job queue only adds to it.
  const gaps = polls.slice(1, 4).map((p, i) => p.at - polls[i]!.at)
  gaps.forEach((gap, i) => expect(gap, `wait after failure ${i + 1}: ${gaps.join(', ')} ms`).toBeGreaterThanOrEqual(750 * 2 ** i - 50))
  expect(gaps[2]).toBeGreaterThan(gaps[0]!)
  expect(await stub.seen('submit')).toHaveLength(1)
})

test('5xx past the limit: checking stops and the card needs attention, kept through a reload with no poll meanwhile; Retry checks again and it finishes', async ({
  page,
}) => {
  // Eight tries at the runner's real pace: 1 + 2 + 4 + 8 + 16 + 30 + 30 s between them (±25 %).
  test.setTimeout(240_000)
  await openOnStub(page)
  await stub.faults(fault('task-result', 503, 8))
  const card = await generate(page, 'a kite past the poll limit')
  const stopped = 'Needs attention: Checking stopped. The provider is not available right now.'
  await expect(card).toContainText(stopped, { timeout: 150_000 })
  // One state at a time: checking has stopped, so the card no longer says it is still checking.
  await expect(card).not.toContainText('still checking')
  const id = await taskIdOf()
  expect((await stub.seen('task-result', id)).map((p) => p.status)).toEqual(Array<number>(8).fill(503))
  await page.reload()
  await expect(card).toContainText(stopped)
  // Nothing checks it meanwhile. Proving an absence needs a window: this one outlasts the shortest wait the rule would
  // leave after an eighth failure (30 s less 25 %).
  await page.waitForTimeout(23_000)
  await expect(card).toContainText('Needs attention')
  expect(await stub.seen('task-result', id)).toHaveLength(8)

  await card.getByRole('button', { name: 'Retry' }).click()
  await done(card)
  await expect(samples(page)).toHaveCount(1)
  // Retry checked it once (the render had long ended); nothing was sent again.
  expect(await stub.seen('task-result', id)).toHaveLength(9)
  expect(await stub.seen('submit')).toHaveLength(1)
})

test('a 429 on submit with Retry-After: the gateway waits that long and sends the same press once more, one task', async ({ page }) => {
  await openOnStub(page)
  await stub.faults(fault('submit', 429, 1, { headers: { 'Retry-After': '3' } }))
  // Pressed from the keyboard: Generate is busy while the gateway waits, and gives the focus back once it is free.
  await page.getByLabel('Prompt', { exact: true }).fill('a kite after a 429 with Retry-After')
  const button = page.getByRole('button', { name: 'Generate' })
  await button.focus()
  await page.keyboard.press('Enter')
  const card = page.getByRole('article', { name: 'Task: a kite after a 429 with Retry-After' })
  await expect(page.getByRole('status', { name: 'Submit queue' })).toContainText('the provider asked us to slow down (429)')
  await expect(button).toBeDisabled()
  await expect(button).toBeFocused()
  await done(card)
  const submits = await stub.seen('submit')
  expect(submits.map((s) => s.status)).toEqual([429, 200])
  expect(submits[1]!.at - submits[0]!.at).toBeGreaterThanOrEqual(3_000)
  await expect(page.getByRole('article', { name: /^Task:/ })).toHaveCount(1)
  await expect(samples(page)).toHaveCount(1)
})

test('a 429 on submit without Retry-After: the gateway backs off (5 s) and sends it once more, one task', async ({ page }) => {
  await openOnStub(page)
  await stub.faults(fault('submit', 429, 1))
  const card = await generate(page, 'a kite after a bare 429')
  await done(card)
  const submits = await stub.seen('submit')
  expect(submits.map((s) => s.status)).toEqual([429, 200])
  expect(submits[1]!.at - submits[0]!.at).toBeGreaterThanOrEqual(4_500)
  await expect(page.getByRole('article', { name: /^Task:/ })).toHaveCount(1)
})

test('429s never fail a request: past the six tries a passing fault gets, it still waits and goes, once, as one task', async ({ page }) => {
  await openOnStub(page)
  await stub.faults(fault('submit', 429, 7, { headers: { 'Retry-After': '1' } }))
  const card = await generate(page, 'a kite after seven 429s')
  await done(card)
  expect((await stub.seen('submit')).map((s) => s.status)).toEqual([429, 429, 429, 429, 429, 429, 429, 200])
  // Nothing under Generate says it failed.
  await expect(page.getByRole('complementary', { name: 'Compose panel' }).getByRole('alert')).toHaveCount(0)
  await expect(page.getByRole('article', { name: /^Task:/ })).toHaveCount(1)
})

test('TASK_NOT_FOUND: the task has failed with the reason, and is never polled again, not even after a reload', async ({ page }) => {
  await openOnStub(page)
  await stub.faults(fault('task-result', 404, 1, { body: errorBody(404, 'task not found') }))
  const card = await generate(page, 'a kite the provider forgets')
  await expect(card.getByRole('status')).toHaveText('Failed: The provider no longer knows this task. Generate it again.')
  const id = await taskIdOf()
  expect(await stub.seen('task-result', id)).toHaveLength(1)
  await page.reload()
  await expect(card.getByRole('status')).toHaveText(/^Failed: The provider no longer knows this task/)
  await expect(card.getByRole('button', { name: 'Retry' })).toBeVisible()
  // A window longer than the wait the rule leaves after a passing fault (1 s ±25 %): no second poll came.
  await page.waitForTimeout(3_000)
  expect(await stub.seen('task-result', id)).toHaveLength(1)
})

test("a 403 for the gateway's key: plain words naming who can fix it, nothing retried in a loop", async ({ page }) => {
  await openOnStub(page)
  await stub.faults(fault('submit', 403, 1, { body: errorBody(403, 'invalid api-key') }))
  await generate(page, 'a kite with a refused key')
  const alert = page.getByRole('complementary', { name: 'Compose panel' }).getByRole('alert')
  await expect(alert).toContainText("The gateway's jiekou.ai key was refused. Ask whoever runs the gateway to check JIEKOU_API_KEY.")
  // JIEKOU_API_KEY wins over a key kept in Settings: no Settings button, and the provider's words stay under Details.
  await expect(alert.getByRole('button', { name: 'Settings' })).toHaveCount(0)
  await expect(alert.getByText('invalid api-key')).toBeHidden()
  await expect(page.getByRole('article', { name: /^Task:/ })).toHaveCount(0)
  // A window past the 5 s a passing fault waits before its next try: the refusal was not one.
  await page.waitForTimeout(6_000)
  expect(await stub.seen('submit')).toHaveLength(1)
})

test('a reload in the middle of a 5xx burst: the card still says it is checking, and the task finishes by itself once the provider is back', async ({
  page,
}) => {
  await openOnStub(page)
  await stub.faults(fault('task-result', 502, 1_000))
  const card = await generate(page, 'a kite through a reload')
  await expect(card).toContainText('Connection trouble; still checking…')
  await page.reload()
  // The trouble is kept with the task by the gateway, not by the tab that saw it.
  await expect(card).toContainText('Sent')
  await expect(card).toContainText('Connection trouble; still checking…')
  await stub.clearFaults()
  await done(card)
  await expect(samples(page)).toHaveCount(1)
  expect(await stub.seen('submit')).toHaveLength(1)
})

test('the gateway unreachable from the studio: a banner says so, the gateway carries the task to its end meanwhile, and the studio shows it once it answers', async ({
  browser,
  request,
}, testInfo) => {
  await stub.timing({ queuedMs: 4_000 })
  // The studio reaches the gateway through a way the test can cut (the gateway itself runs on).
  const way = await gatewayCut(FAULT_GATEWAY)
  const context = await browser.newContext({ baseURL: way.url, extraHTTPHeaders: workspaceHeaders(testInfo) })
  try {
    const page = await context.newPage()
    await openOnStub(page)
    const card = await generate(page, 'a kite while the gateway is away')
    await expect(card).toContainText('Sent')
    const probes = { count: 0 }
    page.on('request', (r) => {
      if (r.url().endsWith('/api/config')) probes.count++
    })
    await way.cut()
    const banner = page.getByRole('status').filter({ hasText: "The studio can't reach its gateway." })
    await expect(banner).toBeVisible({ timeout: 30_000 })
    await expect(card).toContainText('waiting for the gateway to answer')
    // While it is away the studio looks for it (1 s, then 2 s...).
    const before = probes.count
    await expect.poll(() => probes.count, { timeout: 15_000 }).toBeGreaterThanOrEqual(before + 2)
    // The gateway polls and archives on its own: asked directly, it holds the finished task while the tab is cut off.
    await expect
      .poll(
        async () => ((await (await request.get('/api/library/tasks')).json()) as { items: { videoCount?: number }[] }).items[0]?.videoCount,
        {
          timeout: 30_000,
        },
      )
      .toBe(1)
    await expect(card).not.toContainText('✓ Done')

    await way.mend()
    await expect(banner).toBeHidden({ timeout: 30_000 })
    await done(card)
    await expectPlays(await cardVideo(samples(page).first()))
    expect(await stub.seen('submit')).toHaveLength(1)
  } finally {
    await context.close()
    await way.close()
  }
})

/*
 * Watching a render that takes a while (the stub's timing is exact): the runner's polls come seldom (the rule aims at
 * the predicted end), each writes the task's progress, and between them the card's bar and ETA move on; the task
 * still ends by itself. Here, in the file that owns the stub, so no other test resets it meanwhile.
 */

/** Every value the card's Rendering bar shows until the task is done. */
async function watch(card: Locator): Promise<number[]> {
  const seen = new Set<number>()
  const bar = card.getByRole('progressbar', { name: 'Rendering' })
  await expect
    .poll(
      async () => {
        // The bar may go between the two calls (the task finished): never wait for it.
        const value = await bar.getAttribute('aria-valuenow', { timeout: 100 }).catch(() => null)
        if (value !== null) seen.add(Number(value))
        return card.getByText('✓ Done · 1 video').count()
      },
      { intervals: [200], timeout: 60_000 },
    )
    .toBe(1)
  return [...seen].sort((a, b) => a - b)
}

for (const eta of [true, false]) {
  test(`a 9 s render ${eta ? 'with' : 'without'} an ETA: the bar moves on between the gateway's few polls, and the task ends by itself`, async ({
    page,
  }) => {
    await stub.timing({ queuedMs: 1_000, processingMs: 9_000, eta })
    await openOnStub(page)
    const card = await generate(page, `a kite watched ${eta ? 'with' : 'without'} an ETA`)
    const seen = await watch(card)
    const midway = seen.filter((v) => v > 0 && v < 100)
    const polls = await stub.seen('task-result', await taskIdOf())
    // More values than the runner's polls while it rendered could have written: the bar moved between them. (Counted
    // against those polls, not all: on a busy machine the page is sampled less often, and queued polls show no value.)
    const submitAt = (await stub.seen('submit')).at(-1)!.at
    const rendering = polls.filter((e) => e.at - submitAt >= 1_000 && e.at - submitAt < 10_000)
    expect(midway.length, `progress values seen: ${seen.join(', ')}; polls while rendering: ${rendering.length}`).toBeGreaterThan(
      rendering.length,
    )
    // A 10 s task in a handful of polls, not one a second.
    expect(polls.length).toBeLessThanOrEqual(eta ? 6 : 8)
    await expect(samples(page)).toHaveCount(1)
  })
}

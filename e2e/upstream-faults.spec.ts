import { type Locator } from '@playwright/test'
import { expect, test } from './fixtures'
import { errorBody } from '../testing/stub-upstream'
import { FAULT_GATEWAY, fault, generate, openOnStub, stub } from './stub'

/*
 * jiekou.ai's faults, injected by a stub upstream on loopback behind a real gateway that holds the key: the studio
 * must survive each one without losing a task, and recover by itself once the cause is gone (past the poll limit, with
 * one Retry). Counted from the stub's own log: what the provider really received.
 */

test.use({ baseURL: FAULT_GATEWAY })
// One stub for all: its tests run in order, in one worker.
test.describe.configure({ mode: 'serial' })
test.beforeEach(() => stub.reset())

const samples = (page: import('@playwright/test').Page) => page.getByRole('article', { name: /^Sample:/ })
const taskIdOf = async () => (await stub.seen('submit')).find((e) => e.status === 200)?.taskId
const done = (card: Locator) => expect(card).toContainText('✓ 1 video', { timeout: 30_000 })

test('a burst of 500s while polling: it backs off, says it is still checking, and the task finishes by itself', async ({ page }) => {
  await openOnStub(page)
  await stub.faults(fault('task-result', 500, 3))
  const card = await generate(page, 'a kite through a burst of 500s')
  await expect(card).toContainText('Connection trouble; still checking…')
  await done(card)
  await expect(samples(page)).toHaveCount(1)
  const polls = await stub.seen('task-result', await taskIdOf())
  expect(polls.slice(0, 3).map((p) => p.status)).toEqual([500, 500, 500])
  // Each wait is longer than the last (1 s, 2 s, 4 s, ±25 %).
  const gaps = polls.slice(0, 4).map((p, i, all) => (i ? p.at - all[i - 1]!.at : 0))
  expect(gaps[2]).toBeGreaterThan(gaps[1]!)
  expect(gaps[3]).toBeGreaterThan(gaps[2]!)
  expect(await stub.seen('submit')).toHaveLength(1)
})

test('5xx past the limit: needs attention, kept through a reload, no poll meanwhile; Retry polls again and it finishes', async ({
  page,
}) => {
  // The page's clock is fake, so the back-off's two minutes pass at once.
  await page.clock.install()
  await openOnStub(page)
  await stub.faults(fault('task-result', 503, 8))
  const card = await generate(page, 'a kite past the poll limit')
  await expect
    .poll(
      async () => {
        await page.clock.fastForward(31_000)
        return (await stub.seen('task-result')).filter((e) => e.status === 503).length
      },
      { timeout: 60_000 },
    )
    .toBe(8)
  await expect(card).toContainText('Needs attention: Checking stopped after 8 failed tries. The provider is not available right now.')
  // One state at a time: checking has stopped, so the card no longer says it is still checking.
  await expect(card).not.toContainText('still checking')
  const id = await taskIdOf()
  await page.reload()
  await expect(card).toContainText('Needs attention: Checking stopped after 8 failed tries.')
  await page.clock.fastForward(120_000)
  await expect(card).toContainText('Needs attention')
  expect(await stub.seen('task-result', id)).toHaveLength(8)

  await card.getByRole('button', { name: 'Retry' }).click()
  await done(card)
  await expect(samples(page)).toHaveCount(1)
  // Retry polled; it sent nothing again.
  expect(await stub.seen('submit')).toHaveLength(1)
  expect((await stub.seen('task-result', id)).length).toBeGreaterThan(8)
})

test('a 429 on submit with Retry-After: the queue waits that long and sends the same press once more, one task', async ({ page }) => {
  await openOnStub(page)
  await stub.faults(fault('submit', 429, 1, { headers: { 'Retry-After': '3' } }))
  // Pressed from the keyboard: Generate is busy while the queue waits, and gives the focus back once it is free.
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

test('a 429 on submit without Retry-After: the queue backs off (5 s) and sends it once more, one task', async ({ page }) => {
  await openOnStub(page)
  await stub.faults(fault('submit', 429, 1))
  const card = await generate(page, 'a kite after a bare 429')
  await done(card)
  const submits = await stub.seen('submit')
  expect(submits.map((s) => s.status)).toEqual([429, 200])
  expect(submits[1]!.at - submits[0]!.at).toBeGreaterThanOrEqual(4_500)
  await expect(page.getByRole('article', { name: /^Task:/ })).toHaveCount(1)
})

test('TASK_NOT_FOUND: the task is marked lost with the reason, and never polled again, not even after a reload', async ({ page }) => {
  await page.clock.install()
  await openOnStub(page)
  await stub.faults(fault('task-result', 404, 1, { body: errorBody(404, 'task not found') }))
  const card = await generate(page, 'a kite the provider forgets')
  await expect(card.getByRole('status')).toHaveText(/^Lost: the provider no longer knows this task/)
  const id = await taskIdOf()
  expect(await stub.seen('task-result', id)).toHaveLength(1)
  await page.reload()
  await expect(card.getByRole('status')).toHaveText(/^Lost:/)
  await page.clock.fastForward(120_000)
  await expect(card.getByRole('button', { name: 'Retry' })).toBeVisible()
  expect(await stub.seen('task-result', id)).toHaveLength(1)
})

test("a 403 for the gateway's key: plain words naming who can fix it, nothing retried in a loop", async ({ page }) => {
  await openOnStub(page)
  await stub.faults(fault('submit', 403, 1, { body: errorBody(403, 'invalid api-key') }))
  await generate(page, 'a kite with a refused key')
  const alert = page.getByRole('complementary', { name: 'Compose panel' }).getByRole('alert')
  await expect(alert).toContainText("The gateway's jiekou.ai key was refused. Ask whoever runs the gateway to check JIEKOU_API_KEY.")
  // The designer has no key to check: no Settings button, and the provider's words stay under Details.
  await expect(alert.getByRole('button', { name: 'Settings' })).toHaveCount(0)
  await expect(alert.getByText('invalid api-key')).toBeHidden()
  await expect(page.getByRole('article', { name: /^Task:/ })).toHaveCount(0)
  expect(await stub.seen('submit')).toHaveLength(1)
})

test('a reload in the middle of a 5xx burst: the task is still there, and finishes by itself once the provider is back', async ({
  page,
}) => {
  await openOnStub(page)
  await stub.faults(fault('task-result', 502, 1_000))
  const card = await generate(page, 'a kite through a reload')
  await expect(card).toContainText('Connection trouble; still checking…')
  await page.reload()
  await expect(card).toContainText('Queued')
  await stub.clearFaults()
  await done(card)
  await expect(samples(page)).toHaveCount(1)
  expect(await stub.seen('submit')).toHaveLength(1)
})

test('the gateway unreachable: a banner says so, nothing is polled, and it all goes on by itself when it answers', async ({ page }) => {
  await stub.timing({ queuedMs: 4_000 })
  await openOnStub(page)
  const card = await generate(page, 'a kite while the gateway is away')
  await expect(card).toContainText('Queued')
  // Every request to the gateway now finds nothing, as if it had stopped.
  const tried = { polls: 0, probes: 0 }
  page.on('request', (r) => {
    if (r.url().includes('/v3/async/task-result')) tried.polls++
    if (r.url().endsWith('/api/config')) tried.probes++
  })
  await page.route('**/api/**', (route) => route.abort('connectionrefused'))
  const banner = page.getByRole('status').filter({ hasText: "The studio can't reach its gateway." })
  await expect(banner).toBeVisible({ timeout: 30_000 })
  await expect(card).toContainText('waiting for the gateway to answer')
  // While it is away, the studio only looks for it (1 s, then 2 s...): two probes go, and not one poll.
  const { polls, probes } = tried
  await expect.poll(() => tried.probes, { timeout: 15_000 }).toBeGreaterThanOrEqual(probes + 2)
  expect(tried.polls).toBe(polls)
  await page.unroute('**/api/**')
  await expect(banner).toBeHidden({ timeout: 30_000 })
  await done(card)
  await expect(samples(page)).toHaveCount(1)
})

/*
 * Watching a render that takes a while (the stub's timing is exact): the card's bar and ETA move between polls, which
 * come seldom (the rule aims at the predicted end), and the task still ends by itself. Here, in the file that owns
 * the stub, so no other test resets it meanwhile.
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
        return card.getByText('✓ 1 video').count()
      },
      { intervals: [200], timeout: 60_000 },
    )
    .toBe(1)
  return [...seen].sort((a, b) => a - b)
}

for (const eta of [true, false]) {
  test(`a 9 s render ${eta ? 'with' : 'without'} an ETA: the bar moves on between a few polls, and the task ends by itself`, async ({
    page,
  }) => {
    await stub.timing({ queuedMs: 1_000, processingMs: 9_000, eta })
    await openOnStub(page)
    const card = await generate(page, `a kite watched ${eta ? 'with' : 'without'} an ETA`)
    const seen = await watch(card)
    const midway = seen.filter((v) => v > 0 && v < 100)
    const polls = (await stub.seen('task-result')).filter((e) => e.taskId?.startsWith('stub-'))
    // More values than the polls made while it rendered could have shown: the bar moved between them. (Counted
    // against those polls, not all: on a busy machine the page is sampled less often, and queued polls show no value.)
    const submitAt = (await stub.seen('submit')).at(-1)!.at
    const rendering = polls.filter((e) => e.at - submitAt >= 1_000 && e.at - submitAt < 10_000)
    expect(midway.length, `progress values seen: ${seen.join(', ')}; polls while rendering: ${rendering.length}`).toBeGreaterThan(
      rendering.length,
    )
    // A 10 s task in a handful of polls, not one a second.
    expect(polls.length).toBeLessThanOrEqual(eta ? 6 : 8)
    await expect(page.getByRole('article', { name: /^Sample:/ })).toHaveCount(1)
  })
}

import { type Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { cardVideo, expectPlays } from './helpers'
import { FAULT_GATEWAY, done, fault, generate, openOnStub, samples, stub } from './stub'

/*
 * The gateway polls every task, whatever the tabs: the provider (the stub jiekou.ai, counted from its own log) sees one
 * poll sequence per task by the studio's rule, and none after the task's end; a flaky provider costs a few waits, never
 * the task. These drive the one stub, so they run after upstream-faults.spec.ts, in order (playwright.config.ts).
 */

test.use({ baseURL: FAULT_GATEWAY })
test.describe.configure({ mode: 'serial' })
test.beforeEach(() => stub.reset())

/** The stub's tasks take this long: queued, then rendering. */
const QUEUED_MS = 1_000
const RENDER_MS = 6_000

/** Every request a page makes to a provider's contract (a submit or a task result), through the gateway or not. */
function providerCalls(page: Page): string[] {
  const calls: string[] = []
  page.on('request', (r) => {
    if (r.url().includes('/v3/async/')) calls.push(r.url())
  })
  return calls
}

/** The polls of one task, and when it was sent: the stub's own log. */
async function pollsOf(prompt: string, nth: number) {
  const submit = (await stub.seen('submit')).filter((e) => e.status === 200)[nth]
  expect(submit, `the submit of "${prompt}"`).toBeDefined()
  return { sentAt: submit!.at, polls: await stub.seen('task-result', submit!.taskId) }
}

test('one poll sequence per task whatever the tabs (1, 3 or none), and none after its end', async ({ page, context, request }) => {
  test.setTimeout(150_000)
  await stub.timing({ queuedMs: QUEUED_MS, processingMs: RENDER_MS, eta: true })
  const tabs = [page, await context.newPage(), await context.newPage()]
  const calls = tabs.map(providerCalls)
  await openOnStub(page)

  // One tab open.
  await done(await generate(page, 'a kite watched by one tab'))

  // Three tabs open on the same library, every one showing the task to its end.
  for (const tab of tabs.slice(1)) await tab.goto('/')
  await generate(page, 'a kite watched by three tabs')
  for (const tab of tabs) await done(tab.getByRole('article', { name: 'Task: a kite watched by three tabs' }))

  // No tab open: sent, then every tab closed; the gateway carries it on.
  const last = await generate(page, 'a kite watched by no tab')
  await expect(last).toContainText('Sent')
  for (const tab of tabs) await tab.close()
  await expect
    .poll(
      async () => ((await (await request.get('/api/library/tasks')).json()) as { items: { videoCount?: number }[] }).items[0]?.videoCount,
      {
        timeout: 30_000,
      },
    )
    .toBe(1)
  // Proving that polling has stopped needs a window: longer than the longest wait the rule leaves near a task's end.
  await new Promise((resolve) => setTimeout(resolve, 2_500))

  const runs = await Promise.all([0, 1, 2].map((nth) => pollsOf(`run ${nth}`, nth)))
  const counts = runs.map((r) => r.polls.length)
  for (const [i, { sentAt, polls }] of runs.entries()) {
    const label = `${['one tab', 'three tabs', 'no tab'][i]}: polls at ${polls.map((p) => p.at - sentAt).join(', ')} ms`
    // Two pollers would ask about the same task at nearly the same moment; the rule never waits under half a second.
    polls.slice(1).forEach((p, j) => expect(p.at - polls[j]!.at, label).toBeGreaterThan(450))
    // Exactly one poll at or after the end (the one that saw SUCCEED): polling stopped there.
    expect(polls.filter((p) => p.at - sentAt >= QUEUED_MS + RENDER_MS).length, label).toBe(1)
    expect(
      polls.every((p) => p.status === 200),
      label,
    ).toBe(true)
  }
  // The same sequence by the rule, whatever the tabs: a poll more or less only where one lands a moment either side of
  // a boundary. A 7 s task in a handful of polls (the budget is 8 for a 60 s one).
  expect(Math.max(...counts) - Math.min(...counts), `polls per task: ${counts.join(', ')}`).toBeLessThanOrEqual(1)
  expect(Math.max(...counts), `polls per task: ${counts.join(', ')}`).toBeLessThanOrEqual(6)
  // No tab asked the provider anything: the gateway did it all.
  expect(calls.flat()).toEqual([])
  expect((await stub.seen('submit')).map((s) => s.status)).toEqual([200, 200, 200])
})

test('a flaky provider (no answer, a 503, then a 429) costs nothing: the gateway backs off, the card says it is still checking, and the video plays', async ({
  page,
}) => {
  await openOnStub(page)
  await stub.faults(fault('task-result', 0, 1, { drop: true }), fault('task-result', 503, 1), fault('task-result', 429, 1))
  const card = await generate(page, 'through a flaky network')
  await expect(card).toContainText('Connection trouble; still checking…')
  await done(card)
  await expect(card).not.toContainText('still checking')
  const polls = (await pollsOf('through a flaky network', 0)).polls
  expect(polls.slice(0, 4).map((p) => p.status)).toEqual([0, 503, 429, 200])
  // Backed off (1 s, 2 s, 4 s, ±25 %), not asked again at once.
  polls.slice(1, 4).forEach((p, i) => expect(p.at - polls[i]!.at).toBeGreaterThanOrEqual(750 * 2 ** i - 50))
  expect(await stub.seen('submit')).toHaveLength(1)
  await expectPlays(await cardVideo(samples(page).first()))
})

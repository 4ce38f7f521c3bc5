import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type APIRequestContext, type Page } from '@playwright/test'
import { expect, test, workspaceHeaders } from './fixtures'
import { cardVideo, expectPlays, pick, trySampleFrames } from './helpers'

/*
 * The library lives on the gateway (issue 18): work goes on with every tab closed, a fresh browser profile finds it,
 * a second browser sees a new sample without a reload, and a gateway killed in the middle of a render carries the
 * task to its end after a restart.
 */

const sampleCards = (page: Page) => page.getByRole('article', { name: /^Sample:/ })

async function composeAndGenerate(page: Page, prompt: string, duration: '4 s' | '8 s' = '4 s') {
  await trySampleFrames(page)
  await page.getByLabel('Prompt', { exact: true }).fill(prompt)
  await pick(page, 'Duration', duration)
  await pick(page, 'Resolution', '720p')
  await pick(page, 'Samples', '1')
  await page.getByRole('button', { name: /^Generate/ }).click()
}

/** The samples the gateway holds for this test's workspace, asked without any page open. */
async function gatewaySampleCount(request: APIRequestContext, base = ''): Promise<number> {
  const res = await request.get(`${base}/api/library/samples/count`)
  expect(res.ok()).toBe(true)
  return ((await res.json()) as { count: number }).count
}

test('with every tab closed the gateway finishes the task; a fresh browser profile finds the sample playing', async ({
  browser,
  page,
  request,
}, testInfo) => {
  await composeAndGenerate(page, 'a lighthouse while nobody watches')
  // The request has reached the gateway: it shows on the task strip.
  await expect(page.getByRole('list', { name: 'Tasks' }).getByRole('listitem')).toHaveCount(1)
  await page.context().close()

  // No tab is open: the gateway sends, polls and archives on its own.
  await expect.poll(() => gatewaySampleCount(request), { timeout: 60_000 }).toBe(1)

  // A fresh profile: no IndexedDB, no local storage, only this test's library on the gateway.
  const fresh = await browser.newContext({ extraHTTPHeaders: workspaceHeaders(testInfo) })
  const again = await fresh.newPage()
  await again.goto('/')
  const card = sampleCards(again).first()
  await expect(card).toHaveAccessibleName(/a lighthouse while nobody watches/)
  await expectPlays(await cardVideo(card))
  await fresh.close()
})

test('two browsers on one library: a sample made in one appears in the other within seconds, with no reload', async ({
  browser,
  page,
}, testInfo) => {
  const other = await browser.newContext({ extraHTTPHeaders: workspaceHeaders(testInfo) })
  const watcher = await other.newPage()
  await watcher.goto('/')
  await expect(watcher.getByRole('region', { name: 'Gallery' })).toBeVisible()
  let reloaded = false
  watcher.on('framenavigated', (f) => {
    if (f === watcher.mainFrame()) reloaded = true
  })

  await composeAndGenerate(page, 'two windows on one harbour')
  await expect(sampleCards(page)).toHaveCount(1, { timeout: 60_000 })
  // The change feed brings it to the other browser: a second at most after the first one shows it.
  await expect(sampleCards(watcher)).toHaveCount(1, { timeout: 5_000 })
  await expect(sampleCards(watcher).first()).toHaveAccessibleName(/two windows on one harbour/)
  expect(reloaded).toBe(false)
  await other.close()
})

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** `npm start` on its own port and data folders; resolves once it answers. */
async function startGateway(port: number, dirs: { library: string; engine: string }): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      STUDIO_DATA_DIR: dirs.library,
      LOCAL_ENGINE_DATA_DIR: dirs.engine,
      // Slow renders: the kill lands in the middle of one.
      LOCAL_ENGINE_PACE_MS: '1500',
      JIEKOU_BASE_URL: 'http://127.0.0.1:9',
      JIEKOU_API_KEY: '',
      GATEWAY_CLIENT_RPM: '0',
      LOCAL_ENGINE_ALLOW_PRIVATE_URLS: '1',
    },
    stdio: 'ignore',
  })
  await expect
    .poll(
      async () => {
        try {
          return (await fetch(`http://127.0.0.1:${port}/api/library/settings`)).status
        } catch {
          return 0
        }
      },
      { timeout: 60_000 },
    )
    .toBe(200)
  return child
}

test('a gateway killed in the middle of a render: after a restart the task goes on and its sample plays', async ({ browser }) => {
  test.setTimeout(180_000)
  const dirs = {
    library: mkdtempSync(join(tmpdir(), 'veo-e2e-kill-library-')),
    engine: mkdtempSync(join(tmpdir(), 'veo-e2e-kill-engine-')),
  }
  const port = await freePort()
  let gateway = await startGateway(port, dirs)
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` })
  try {
    const page = await context.newPage()
    await composeAndGenerate(page, 'a kite that survives a crash', '8 s')
    const card = page.getByRole('list', { name: 'Tasks' }).getByRole('listitem').first()
    await expect(card).toContainText(/Rendering/, { timeout: 60_000 })

    gateway.kill('SIGKILL')
    await new Promise((resolve) => gateway.once('exit', resolve))
    gateway = await startGateway(port, dirs)

    // The same tab, never reloaded: the feed comes back, and the task ends with its video.
    await expect(sampleCards(page)).toHaveCount(1, { timeout: 120_000 })
    await expectPlays(await cardVideo(sampleCards(page).first()))
    // Sent once: one task, never a second.
    const tasks = (await (await page.request.get('/api/library/tasks')).json()) as { items: unknown[] }
    expect(tasks.items).toHaveLength(1)
  } finally {
    await context.close()
    gateway.kill('SIGKILL')
    rmSync(dirs.library, { recursive: true, force: true })
    rmSync(dirs.engine, { recursive: true, force: true })
  }
})

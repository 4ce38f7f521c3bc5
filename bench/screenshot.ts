/*
 * npm run screenshot: the README's picture of the studio (docs/studio.png), made the way a designer works:
 * sample frames, two tasks, a gallery of samples. Runs its own gateway on a free port with the local engine.
 */
import { chromium } from '@playwright/test'
import { chromiumLaunchOptions } from '../testing/chromium.ts'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer } from '../server/app.ts'
import { ensureBuilt } from '../server/build.ts'
import { loadCatalogue } from '../server/catalogue.ts'
import { readConfig } from '../server/config.ts'
import { createLogger } from '../server/logger.ts'

const root = new URL('..', import.meta.url).pathname
const dir = await mkdtemp(join(tmpdir(), 'veo-shot-'))
await ensureBuilt(root)
const server = await startServer({
  config: readConfig({ LOCAL_ENGINE_PACE_MS: '300', LOCAL_ENGINE_DATA_DIR: dir }),
  models: await loadCatalogue(),
  logger: createLogger(() => {}),
  port: 0,
  distDir: join(root, 'dist'),
})
const browser = await chromium.launch(chromiumLaunchOptions)
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 })
  await page.goto(server.url)
  await page.getByRole('button', { name: 'Try with sample frames' }).click()
  await page.getByRole('group', { name: 'Last frame' }).locator('img').waitFor()
  const prompt = page.getByLabel('Prompt', { exact: true })
  const samples = (n: string) => page.getByRole('group', { name: 'Samples' }).getByRole('radio', { name: n, exact: true }).check()

  await samples('3')
  await page.getByRole('button', { name: 'Generate' }).click()
  await page
    .getByRole('article', { name: /^Sample:/ })
    .nth(2)
    .waitFor({ timeout: 120_000 })

  await prompt.fill('Dawn over the hills, slow zoom out, crossfade')
  await samples('2')
  await page.getByRole('button', { name: 'Generate' }).click()
  // Shoot while the second task is still rendering: the strip shows one done and one in progress.
  await page
    .getByRole('article', { name: /^Task: Dawn/ })
    .getByRole('progressbar', { name: 'Rendering' })
    .waitFor({ timeout: 60_000 })
  await page.getByRole('complementary', { name: 'Compose panel' }).evaluate((el) => el.scrollTo(0, 0))
  await page.waitForTimeout(800)
  await page.screenshot({ path: join(root, 'docs/studio.png') })
  console.log('wrote docs/studio.png')
} finally {
  await browser.close()
  await server.close()
  await rm(dir, { recursive: true, force: true })
}

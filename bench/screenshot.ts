/*
 * npm run screenshot: the README's pictures, made the way a designer works. docs/studio.png: sample frames, two
 * tasks, a gallery of samples. docs/board.png: a 3 × 3 sweep on its board, with a winner and a note, the sweep's
 * fields still open in Compose. docs/compare.png: three of its cells in a comparison, paused halfway. Runs its own gateway on a free port with the local engine.
 */
import { chromium } from '@playwright/test'
import { chromiumLaunchOptions } from '../testing/chromium.ts'
import { root, startBenchGateway } from './gateway.ts'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const dir = await mkdtemp(join(tmpdir(), 'veo-shot-'))
const { server } = await startBenchGateway({ LOCAL_ENGINE_PACE_MS: '300', LOCAL_ENGINE_DATA_DIR: dir })
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

  await prompt.fill('Dawn over the hills')
  await samples('1')
  await page.getByRole('switch', { name: 'Sweep' }).click()
  await page.getByLabel('Prompt variants').fill('Dawn over the hills, slow zoom {in|out}\nDawn over the hills, drift left')
  await page.getByLabel('Sweep seeds').fill('11, 22, 33')
  await page.getByRole('button', { name: 'Run sweep' }).click()
  // Nine tasks is above the default threshold: the sweep asks first.
  await page.getByRole('dialog').getByRole('button', { name: 'Run' }).click()
  const board = page.getByRole('region', { name: /^Experiment: / })
  await board.getByRole('checkbox', { name: 'Select' }).nth(8).waitFor({ timeout: 240_000 })
  const middle = board.getByRole('row').nth(2).getByRole('cell').nth(1)
  await middle.getByRole('button', { name: 'Winner' }).click()
  await middle.getByLabel('Note').fill('Smoothest zoom; keep seed 22')
  await middle.getByLabel('Note').blur()
  // Marking scrolled the board: show it from its first row.
  await board.getByRole('table').evaluate((table) => {
    for (let el = table.parentElement; el; el = el.parentElement) if (el.scrollHeight > el.clientHeight) return el.scrollTo(0, 0)
  })
  await page.mouse.move(0, 0)
  await page.waitForTimeout(800)
  await page.screenshot({ path: join(root, 'docs/board.png') })
  console.log('wrote docs/board.png')

  // Three cells of the board side by side, frame-locked, paused on one frame.
  const select = (row: number, col: number) =>
    board
      .getByRole('row')
      .nth(row + 1)
      .getByRole('cell')
      .nth(col)
      .getByRole('checkbox', { name: 'Select' })
      .check()
  await select(0, 0)
  await select(1, 1)
  await select(2, 2)
  await page.getByRole('button', { name: 'Compare 3' }).click()
  const comparison = page.getByRole('region', { name: 'Comparison' })
  await comparison.getByRole('group', { name: 'Fidelity C' }).getByText(/dB/).first().waitFor({ timeout: 60_000 })
  // Halfway through, where the three camera moves have gone their own ways.
  await comparison.getByRole('slider', { name: 'Timeline' }).fill('50')
  await page.mouse.move(0, 0)
  await page.waitForTimeout(800)
  await page.screenshot({ path: join(root, 'docs/compare.png') })
  console.log('wrote docs/compare.png')
} finally {
  await browser.close()
  await server.close()
  await rm(dir, { recursive: true, force: true })
}

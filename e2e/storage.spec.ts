import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Locator, type Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { cardVideo, expectPlays, pick, trySampleFrames } from './helpers'
import { freePort, gatewayDirs, startGateway, type OwnGateway } from './own-gateway'
import { seedStoredSamples } from './seed'
import { seedMedia } from '../testing/seed-samples'

/*
 * Settings › Storage (issue 18): the library lives in the gateway's data folder, and Storage shows that folder, its
 * size, what takes the space and what is left on the disk. A full disk pauses the gateway's archiving, the studio says
 * so with the way out, and the archive goes on by itself once there is space.
 */

const port = Number(process.env.E2E_PORT ?? 5399)
/** The e2e gateway's data folder, as playwright.config.ts starts it. */
const DATA_DIR = join(tmpdir(), `veo-studio-e2e-library-${port}`)
const GB = 1024 ** 3

async function openStorage(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  const storage = page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Storage' })
  await expect(storage).toBeVisible()
  return storage
}

test('Settings › Storage shows the data folder, its size, what takes the space and the free disk', async ({ page }) => {
  // Three samples that share one video, one still and one frame: the library holds each file once.
  await seedStoredSamples(page, 3)
  const media = await seedMedia()
  const kb = (b64: string) => `${Math.round(Buffer.from(b64, 'base64').length / 1024)} KB`
  const storage = await openStorage(page)

  await expect(storage.getByText(DATA_DIR, { exact: true })).toBeVisible()
  expect(existsSync(join(DATA_DIR, 'db')) && existsSync(join(DATA_DIR, 'blobs')), 'the folder holds the library').toBe(true)
  const space = storage.getByRole('definition')
  await expect(storage.getByRole('term')).toHaveText(['Database', 'Videos', 'Posters', 'Frames'])
  await expect(space.nth(0)).toHaveText(/^[\d.]+ (KB|MB|GB)$/)
  await expect(space.nth(1)).toHaveText(`1 video · ${kb(media.video)}`)
  await expect(space.nth(2)).toHaveText(`1 poster · ${kb(media.poster)}`)
  await expect(space.nth(3)).toHaveText(`1 frame · ${kb(media.thumb)}`)

  // The disk as the system sees it (others write to it meanwhile: a margin on what is free).
  const usage = await storage.getByText(/^The library takes /).textContent()
  const [, free, total] = /disk has ([\d.]+) GB free of ([\d.]+) GB\.$/.exec(usage ?? '') ?? []
  const disk = statfsSync(DATA_DIR)
  // Shown to one decimal.
  expect(Math.abs(Number(total) - (disk.blocks * disk.bsize) / GB)).toBeLessThanOrEqual(0.051)
  expect(Math.abs(Number(free) - (disk.bavail * disk.bsize) / GB)).toBeLessThan(1)
  const used = Math.round(100 * (1 - disk.bavail / disk.blocks))
  expect(Math.abs(Number(await storage.getByRole('progressbar').getAttribute('value')) - used)).toBeLessThanOrEqual(1)
  // Nothing is paused, and nothing warns while the disk has room.
  await expect(storage.getByRole('status')).toHaveCount(0)
  await expect(page.getByRole('alert')).toHaveCount(0)
})

/** The banner's words while the archive waits for space. */
const DISK_FULL =
  "The gateway's disk is full: archiving is paused, and new videos wait to be kept. Free space on the gateway's disk: " +
  'delete files you no longer need there, or move its data folder to a larger disk. Archiving goes on by itself once there is room.'

/** Mounts a small tmpfs on `dir`; false where this machine does not let the test mount one (not root, no capability). */
function mountSmallDisk(dir: string): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32m,mode=0700', 'tmpfs', dir], { stdio: 'pipe' })
    return true
  } catch {
    return false
  }
}

/** Writes a file that takes every byte left on the disk of `dir`. */
function fillDisk(file: string) {
  const { bavail, bsize } = statfsSync(join(file, '..'))
  try {
    writeFileSync(file, Buffer.alloc(bavail * bsize))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
  }
  expect(statfsSync(join(file, '..')).bavail).toBe(0)
}

test('a full disk pauses the archiving with the banner’s words; once there is space it goes on by itself', async ({ browser }) => {
  test.setTimeout(240_000)
  const dirs = gatewayDirs('disk-full')
  // The files' folder on a disk of its own, 32 MB; the database stays on the machine's disk and goes on writing.
  const blobs = join(dirs.library, 'blobs')
  mkdirSync(blobs)
  if (!mountSmallDisk(blobs)) {
    dirs.remove()
    test.skip(true, 'A full disk needs a small disk of its own: a tmpfs mount, which only root with the capability may make.')
  }
  let gateway: OwnGateway | undefined
  try {
    // Slow paces: a task waits 3 s at the engine and renders at least 3 s more, so the disk is full before its video comes.
    gateway = await startGateway(await freePort(), dirs, { LOCAL_ENGINE_PACE_MS: '3000' })
    const context = await browser.newContext({ baseURL: gateway.url })
    const page = await context.newPage()
    await trySampleFrames(page)
    await page.getByLabel('Prompt', { exact: true }).fill('a kite on a full disk')
    await pick(page, 'Duration', '4 s')
    await pick(page, 'Resolution', '720p')
    await pick(page, 'Samples', '1')
    // Its frames are on the gateway once the request is in its queue: only then is the disk filled.
    const queued = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/library/requests'))
    await page.getByRole('button', { name: /^Generate/ }).click()
    expect((await queued).ok()).toBe(true)
    fillDisk(join(blobs, 'filler'))

    // The provider is done, the copy cannot be made: the studio says so, and the gateway reports the pause.
    const banner = page.getByRole('alert').filter({ hasText: /^The gateway's disk is full/ })
    await expect(banner).toContainText(DISK_FULL, { timeout: 60_000 })
    const task = page.getByRole('article', { name: /^Task: a kite on a full disk/ })
    await expect(task).toContainText('Done · keeping it in the library…')
    await expect(page.getByRole('article', { name: /^Sample:/ })).toHaveCount(0)
    expect(await (await page.request.get('/api/library/storage')).json()).toMatchObject({ paused: { reason: 'disk-full' } })

    // Free space opens Settings at Storage, which says the same, with how to move the folder under Details.
    await banner.getByRole('button', { name: 'Free space' }).click()
    const storage = page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Storage' })
    await expect(storage.getByRole('heading', { name: 'Storage' })).toBeFocused()
    await expect(storage.getByText(dirs.library, { exact: true })).toBeVisible()
    await expect(storage.getByRole('status')).toContainText(DISK_FULL)
    await page.keyboard.press('Escape')

    // Space again: nobody presses anything. The archive tries again (every 30 s) and the video comes.
    rmSync(join(blobs, 'filler'))
    const sample = page.getByRole('article', { name: /^Sample: a kite on a full disk/ })
    await expect(sample).toBeVisible({ timeout: 60_000 })
    await expect(banner).toHaveCount(0)
    await expect(task.getByText(/^✓ Done · 1 video · /)).toBeVisible()
    await expectPlays(await cardVideo(sample))
    expect(await (await page.request.get('/api/library/storage')).json()).toMatchObject({ paused: null })
    await context.close()
  } finally {
    await gateway?.stop()
    // Lazily: a file the stopped gateway held open must not keep the mount.
    execFileSync('umount', ['-l', blobs])
    dirs.remove()
  }
})

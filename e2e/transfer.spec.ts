import { type APIRequestContext, type Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { strFromU8, unzipSync, zipSync } from 'fflate'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { cardVideo, expectPlays, pick, trySampleFrames } from './helpers'
import { freePort, gatewayDirs, startGateway } from './own-gateway'

const sampleCards = (page: Page) => page.getByRole('article', { name: /^Sample:/ })
const backUp = (page: Page) => page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Back up and move' })

/** One short local render (4 s, 720p, one sample), kept in the gateway's library. */
async function renderOne(page: Page, prompt: string) {
  await trySampleFrames(page)
  await pick(page, 'Duration', '4 s')
  await pick(page, 'Resolution', '720p')
  await pick(page, 'Samples', '1')
  await page.getByLabel('Prompt', { exact: true }).fill(prompt)
  await page.getByRole('button', { name: /^Generate/ }).click()
  await expect(sampleCards(page)).toHaveCount(1, { timeout: 60_000 })
  await expect(page.getByText('Saving…')).toHaveCount(0, { timeout: 30_000 })
}

/**
 * The SHA-256 of every sample's video in the library the request context names, each checked against the bytes the
 * gateway's archive serves for it.
 */
async function archivedVideoHashes(request: APIRequestContext): Promise<string[]> {
  const res = await request.get('/api/library/samples')
  expect(res.ok()).toBe(true)
  const { items } = (await res.json()) as { items: { videoSha256?: string }[] }
  const hashes: string[] = []
  for (const { videoSha256 } of items) {
    const file = await request.get(`/api/library/files/${videoSha256}`)
    expect(file.ok()).toBe(true)
    hashes.push(
      createHash('sha256')
        .update(await file.body())
        .digest('hex'),
    )
    expect(hashes.at(-1), 'the bytes served are the ones the sample names').toBe(videoSha256)
  }
  return hashes.sort()
}

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  await expect(backUp(page)).toBeVisible()
}

/** Exports the gallery from Settings › Back up and move; returns the zip's path on disk. */
async function exportGallery(page: Page): Promise<string> {
  await openSettings(page)
  const downloading = page.waitForEvent('download')
  await backUp(page).getByRole('button', { name: 'Export gallery' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toMatch(/^veo-studio-export-gallery-\d{4}-\d{2}-\d{2}\.zip$/)
  await expect(backUp(page).getByRole('status')).toContainText('1 sample')
  return download.path()
}

test('export the gallery, import the zip into a fresh studio: the same video bytes come back', async ({ page, browser }) => {
  // A render, then a second gateway's first start.
  test.setTimeout(180_000)
  await renderOne(page, 'a paper boat on a pond')
  const before = await archivedVideoHashes(page.request)
  expect(before).toHaveLength(1)

  const zipPath = await exportGallery(page)
  // The zip holds the video by its hash, the manifest, and never a key.
  const files = unzipSync(readFileSync(zipPath))
  expect(Object.keys(files)).toContain(`videos/${before[0]}.mp4`)
  expect(createHash('sha256').update(files[`videos/${before[0]}.mp4`]!).digest('hex')).toBe(before[0])
  const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { format: string; version: number; samples: unknown[] }
  expect(manifest).toMatchObject({ format: 'veo-studio-export', version: 1 })
  expect(manifest.samples).toHaveLength(1)
  expect(readFileSync(zipPath).toString('latin1')).not.toMatch(/authorization|api-?key/i)

  // A fresh studio: a new gateway on an empty data folder (the library's ids are the gateway's, so another workspace
  // of this one would find them taken), and a new browser profile: an empty gallery.
  const dirs = gatewayDirs('transfer')
  const gateway = await startGateway(await freePort(), dirs)
  const fresh = await browser.newContext({ baseURL: gateway.url })
  try {
    await importInto(await fresh.newPage(), zipPath, before)
  } finally {
    await fresh.close()
    await gateway.stop()
    dirs.remove()
  }
})

/** Imports the zip into an empty studio twice: the first time its one sample comes back whole, the second adds nothing. */
async function importInto(page: Page, zipPath: string, before: string[]) {
  await page.goto('/')
  await expect(page.getByRole('button', { name: 'Try with sample frames' })).toBeVisible()
  await expect(sampleCards(page)).toHaveCount(0)

  // Import through the file input, labelled Import.
  await openSettings(page)
  await backUp(page).getByLabel('Import').setInputFiles(zipPath)
  await expect(backUp(page).getByRole('status')).toHaveText('Imported 1 sample.')
  await page.keyboard.press('Escape')
  await expect(sampleCards(page)).toHaveCount(1)
  expect(await archivedVideoHashes(page.request)).toEqual(before)
  await expectPlays(await cardVideo(sampleCards(page).first()))

  // The same zip again: nothing is added twice.
  await openSettings(page)
  await backUp(page).getByLabel('Import').setInputFiles(zipPath)
  await expect(backUp(page).getByRole('status')).toHaveText('Imported 0 samples (1 already here).')
  await page.keyboard.press('Escape')
  await expect(sampleCards(page)).toHaveCount(1)
}

test('a hostile zip (a ../ path) is refused with words and Details, and the gallery is unchanged', async ({ page }, testInfo) => {
  await renderOne(page, 'a kite over the dunes')
  const before = await archivedVideoHashes(page.request)
  const zipPath = await exportGallery(page)
  // The real export, with one more entry that would climb out of the folder it is unpacked into.
  const files = unzipSync(readFileSync(zipPath))
  const hostile = testInfo.outputPath('hostile.zip')
  writeFileSync(hostile, zipSync({ ...files, '../evil.mp4': files[`videos/${before[0]}.mp4`]! }))

  // Refused before anything leaves the browser: no file is put on the gateway, no record sent.
  const sent: string[] = []
  page.on('request', (r) => {
    if (r.method() !== 'GET' && /\/api\/library\/(blobs|import)/.test(new URL(r.url()).pathname)) sent.push(r.url())
  })
  await backUp(page).getByLabel('Import').setInputFiles(hostile)
  const refusal = backUp(page).getByRole('alert')
  await expect(refusal).toContainText('This export was refused: it holds a file with an unsafe name (../evil.mp4). Nothing was imported.')
  await refusal.getByText('Details').click()
  await expect(refusal).toContainText('"../evil.mp4"')
  await page.keyboard.press('Escape')
  await expect(sampleCards(page)).toHaveCount(1)
  expect(await archivedVideoHashes(page.request)).toEqual(before)
  expect(sent).toEqual([])
})

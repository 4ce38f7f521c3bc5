import { type Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { strFromU8, unzipSync, zipSync } from 'fflate'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { pick, trySampleFrames } from './helpers'

const sampleCards = (page: Page) => page.getByRole('article', { name: /^Sample:/ })
const backUp = (page: Page) => page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Back up and move' })

/** One short local render (4 s, 720p, one sample), kept on the device. */
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

/** The SHA-256 of every video stored in the studio's IndexedDB, read with the browser's own IndexedDB and crypto. */
function storedVideoHashes(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('veo-studio')
      open.addEventListener('success', () => resolve(open.result))
      open.addEventListener('error', () => reject(open.error))
    })
    const videos = await new Promise<{ blob: Blob }[]>((resolve, reject) => {
      const all = db.transaction('videos').objectStore('videos').getAll()
      all.addEventListener('success', () => resolve(all.result as { blob: Blob }[]))
      all.addEventListener('error', () => reject(all.error))
    })
    db.close()
    const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('')
    return (await Promise.all(videos.map(async (v) => hex(await crypto.subtle.digest('SHA-256', await v.blob.arrayBuffer()))))).sort()
  })
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

test('export the gallery, wipe the studio, import the zip: the same video bytes come back', async ({ page }) => {
  await renderOne(page, 'a paper boat on a pond')
  const before = await storedVideoHashes(page)
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

  // Wipe: the studio's database deleted (the open studio lets go of it), then a reload: an empty gallery.
  await page.keyboard.press('Escape')
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const wipe = indexedDB.deleteDatabase('veo-studio')
        wipe.addEventListener('success', () => resolve())
        wipe.addEventListener('error', () => reject(wipe.error))
      }),
  )
  await page.reload()
  await expect(page.getByRole('button', { name: 'Try with sample frames' })).toBeVisible()
  await expect(sampleCards(page)).toHaveCount(0)

  // Import through the file input, labelled Import.
  await openSettings(page)
  await backUp(page).getByLabel('Import').setInputFiles(zipPath)
  await expect(backUp(page).getByRole('status')).toHaveText('Imported 1 sample.')
  await page.keyboard.press('Escape')
  await expect(sampleCards(page)).toHaveCount(1)
  expect(await storedVideoHashes(page)).toEqual(before)

  // The same zip again: nothing is added twice.
  await openSettings(page)
  await backUp(page).getByLabel('Import').setInputFiles(zipPath)
  await expect(backUp(page).getByRole('status')).toHaveText('Imported 0 samples (1 already here).')
  await page.keyboard.press('Escape')
  await expect(sampleCards(page)).toHaveCount(1)
})

test('a hostile zip (a ../ path) is refused with words and Details, and the gallery is unchanged', async ({ page }, testInfo) => {
  await renderOne(page, 'a kite over the dunes')
  const before = await storedVideoHashes(page)
  const zipPath = await exportGallery(page)
  // The real export, with one more entry that would climb out of the folder it is unpacked into.
  const files = unzipSync(readFileSync(zipPath))
  const hostile = testInfo.outputPath('hostile.zip')
  writeFileSync(hostile, zipSync({ ...files, '../evil.mp4': files[`videos/${before[0]}.mp4`]! }))

  await backUp(page).getByLabel('Import').setInputFiles(hostile)
  const refusal = backUp(page).getByRole('alert')
  await expect(refusal).toContainText('This export was refused: it holds a file with an unsafe name (../evil.mp4). Nothing was imported.')
  await refusal.getByText('Details').click()
  await expect(refusal).toContainText('"../evil.mp4"')
  await page.keyboard.press('Escape')
  await expect(sampleCards(page)).toHaveCount(1)
  expect(await storedVideoHashes(page)).toEqual(before)
})

import { expect, type Locator, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const FIRST_FRAME = fileURLToPath(new URL('../public/samples/first-frame.png', import.meta.url))
export const LAST_FRAME = fileURLToPath(new URL('../public/samples/last-frame.png', import.meta.url))

/** A real drag and drop: the file travels in a DataTransfer, as from the desktop. */
export async function dropFile(page: Page, zone: Locator, path: string, name = path.split('/').pop()!, mime = 'image/png') {
  const base64 = readFileSync(path).toString('base64')
  const dataTransfer = await page.evaluateHandle(
    (file) => {
      const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0))
      const dt = new DataTransfer()
      dt.items.add(new File([bytes], file.name, { type: file.mime }))
      return dt
    },
    { base64, name, mime },
  )
  await zone.dispatchEvent('dragenter', { dataTransfer })
  await zone.dispatchEvent('dragover', { dataTransfer })
  await zone.dispatchEvent('drop', { dataTransfer })
}

/** The visible dropzone of a frame: the region named by its label (not the file input of the same name). */
export const frameZone = (page: Page, label: 'First frame' | 'Last frame') =>
  page
    .getByRole('button', { name: label, exact: true })
    .or(page.getByRole('group', { name: label, exact: true }))
    .and(page.locator('div'))

export async function chooseModel(page: Page, name: 'Veo 3.0' | 'Veo 3.1') {
  await page.getByRole('group', { name: 'Model' }).getByRole('radio', { name }).check()
}

export async function pick(page: Page, group: string, option: string) {
  await page.getByRole('group', { name: group, exact: true }).getByRole('radio', { name: option, exact: true }).check()
}

/** First run: the empty gallery offers our sample frames; they load into Compose. */
export async function trySampleFrames(page: Page) {
  await page.goto('/')
  await page.getByRole('button', { name: 'Try with sample frames' }).click()
  await expect(frameZone(page, 'Last frame').locator('img')).toBeVisible()
}

/**
 * A gallery card's video. At rest a card shows its stored poster as an image and holds no `<video>`; the focus on its
 * player button plays it, as a hover does, and mounts the video. Call `expectPlays` on it while the focus stays.
 */
export async function cardVideo(card: Locator): Promise<Locator> {
  await card.getByRole('button', { name: /^Open player: / }).focus()
  return card.locator('video')
}

/**
 * Plays a gallery video (as a hover would) and checks that it really plays: time moves, frames have a size.
 * Tried again for a while: a card swaps the provider's URL for the stored copy once it is saved.
 */
export async function expectPlays(video: Locator, size?: { width: number; height: number }) {
  await expect(video).toHaveAttribute('src', /\S/)
  const playOnce = () =>
    video.evaluate(async (v: HTMLVideoElement) => {
      v.muted = true
      await v.play()
      const start = v.currentTime
      // Done as soon as the playhead moves; a video that has not moved within 600 ms counts as not playing.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer)
          v.removeEventListener('timeupdate', onTime)
          resolve()
        }
        const onTime = () => {
          if (v.currentTime > start) done()
        }
        const timer = setTimeout(done, 600)
        v.addEventListener('timeupdate', onTime)
      })
      v.pause()
      return { advanced: v.currentTime > start, width: v.videoWidth, height: v.videoHeight, duration: v.duration }
    })
  let played = await playOnce()
  await expect.poll(async () => (played.advanced ? true : (played = await playOnce()).advanced), { timeout: 15_000 }).toBe(true)
  if (size) expect({ width: played.width, height: played.height }).toEqual(size)
  return played
}

/*
 * Issue 11's request bytes: a 4000×3000 PNG frame (ffmpeg's testsrc2) dropped on First frame for a Veo 3.0 720p
 * task, sent through the studio to a stub jiekou.ai; the body the provider gets, against the original file as base64
 * (what the studio sent before it cropped at the output size). One frame only, so the body is that frame. Since issue
 * 18 the studio hands the gateway the body with the frame named by its hash ({"$blob": sha}, the cropped frame put
 * first: PUT /api/library/frames/<sha>), and the runner puts the frame's base64 back in to send it: the body is
 * measured as the runner sends it, from those two requests.
 */
import { chromium, type Page } from '@playwright/test'
import { execFile } from 'node:child_process'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { chromiumLaunchOptions } from '../testing/chromium.ts'
import { findTools } from '../server/engine/ffmpeg.ts'
import { startBenchGateway } from './gateway.ts'
import { openStudio, startStub, stubGatewayEnv, type RecordFigure } from './studio-page.ts'

const run = promisify(execFile)

/** A real drag and drop: the file travels in a DataTransfer, as from the desktop. */
async function dropPng(page: Page, path: string) {
  const base64 = (await readFile(path)).toString('base64')
  const zone = page
    .getByRole('button', { name: 'First frame', exact: true })
    .or(page.getByRole('group', { name: 'First frame', exact: true }))
    .and(page.locator('div'))
  const dataTransfer = await page.evaluateHandle((b64) => {
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))
    const dt = new DataTransfer()
    dt.items.add(new File([bytes], 'photo-4000x3000.png', { type: 'image/png' }))
    return dt
  }, base64)
  for (const type of ['dragenter', 'dragover', 'drop']) await zone.dispatchEvent(type, { dataTransfer })
  await zone.locator('img').waitFor()
}

export async function benchBytes(dir: string, record: RecordFigure) {
  const png = join(dir, 'frame-4000x3000.png')
  const { ffmpeg } = await findTools()
  await run(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=4000x3000', '-frames:v', '1', '-y', png])
  const original = (await stat(png)).size
  const asBase64 = Math.ceil(original / 3) * 4

  const stub = await startStub({ queuedMs: 500, processingMs: 1_500, eta: true })
  const { server } = await startBenchGateway(stubGatewayEnv(stub, join(dir, 'bytes-engine')))
  const browser = await chromium.launch(chromiumLaunchOptions)
  try {
    const studio = await openStudio(browser, server.url, { jiekou: true })
    const { page } = studio
    await page.getByRole('group', { name: 'Model' }).getByRole('radio', { name: 'Veo 3.0' }).check()
    await dropPng(page, png)
    await page.getByRole('group', { name: 'Resolution', exact: true }).getByRole('radio', { name: '720p', exact: true }).check()
    await page.getByLabel('Prompt', { exact: true }).fill('a kite, slow push in')
    const handed = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/library/requests', {
      timeout: 60_000,
    })
    await page.getByRole('button', { name: /^Generate/ }).click()
    const { requests } = (await handed).postDataJSON() as { requests: { body: Record<string, unknown> }[] }
    // As the runner expands it (server/library/runner/submit.ts expandBody): each {"$blob": sha} becomes the base64 of
    // the frame the studio put under that hash (read back from the library).
    const expanded: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(requests[0]!.body)) {
      const sha = (v as { $blob?: string } | null)?.$blob
      const file = sha && (await fetch(`${server.url}/api/library/files/${sha}`))
      if (file && !file.ok) throw new Error(`the frame ${sha} is not in the library: ${file.status}`)
      expanded[k] = file ? Buffer.from(await file.arrayBuffer()).toString('base64') : v
    }
    const body = Buffer.byteLength(JSON.stringify(expanded))
    await studio.close()
    const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`
    console.log(`  PNG ${kb(original)} (${kb(asBase64)} as base64); the body the provider gets ${kb(body)}`)
    record('4000×3000 PNG at 720p: original as base64 ÷ request body', asBase64 / body, '×', 10, 'higher')
  } finally {
    await browser.close()
    await server.close()
    await stub.close()
  }
}

import type { Locator, Page } from '@playwright/test'
import type { FrameRef, SampleRecord, StoredRequest, TaskRecord } from '../src/db/db'
import { importRecords, putBlob } from '../testing/seed-gateway'

/*
 * The comparison's e2e helpers: the videos' spread once settled, pixels of screenshots compared in the page, and a
 * sample filed under other frames, brought into the gateway's library.
 */

/** The spread of the videos' playheads once every one has settled after a seek (NaN while any is still seeking). */
export const spreadOnceSettled = (videos: Locator) =>
  videos.evaluateAll((vs) => {
    const list = vs as HTMLVideoElement[]
    if (list.some((v) => v.seeking)) return Number.NaN
    const times = list.map((v) => v.currentTime)
    return Math.max(...times) - Math.min(...times)
  })

/**
 * Three screenshots of the wiped pair (base64 PNGs: wipe at 100 = A alone, at 0 = B alone, and split), compared in the
 * page: the mean absolute difference per channel left of the split against A, right of it against B, and of A
 * against B (which must be large for the test to mean anything).
 */
export function wipeDiffs(page: Page, shots: string[]): Promise<{ leftIsA: number; rightIsB: number; aVsB: number }> {
  return page.evaluate(async (pngs) => {
    const pixels = async (b64: string) => {
      // Decoded here, not fetched as a data: URL: the studio's CSP (connect-src 'self') refuses that.
      const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))], { type: 'image/png' }))
      const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!
      ctx.drawImage(bitmap, 0, 0)
      return ctx.getImageData(0, 0, bitmap.width, bitmap.height)
    }
    const [a, b, s] = await Promise.all(pngs.map(pixels))
    // Mean absolute difference per channel over columns [x0, x1) (fractions), in the picture's middle band (the
    // handle's label sits at the top, its slider at the bottom).
    const mean = (p: ImageData, q: ImageData, x0: number, x1: number) => {
      let sum = 0
      let n = 0
      for (let y = Math.floor(p.height * 0.2); y < p.height * 0.8; y++)
        for (let x = Math.floor(p.width * x0); x < p.width * x1; x++)
          for (let c = 0; c < 3; c++) {
            const i = (y * p.width + x) * 4 + c
            sum += Math.abs(p.data[i]! - q.data[i]!)
            n++
          }
      return sum / n
    }
    return {
      leftIsA: mean(s!, a!, 0, 0.27),
      rightIsB: mean(s!, b!, 0.33, 0.97),
      aVsB: mean(a!, b!, 0.33, 0.97),
    }
  }, shots)
}

/**
 * Someone else's frames: a copy of a sample (same video, same still) filed as made from a checkerboard and its inverse,
 * brought into this test's library through the gateway's API as an import does (the frames' bytes put by their
 * SHA-256, then the records). The copy's task stands alone, on no board. Returns the copy's id.
 */
export async function fileUnderOtherFrames(page: Page, sampleId: string): Promise<string> {
  // Drawn in the page, where a canvas makes PNGs.
  const pngs = await page.evaluate(async () => {
    const frame = async (invert: boolean) => {
      const canvas = new OffscreenCanvas(1280, 720)
      const ctx = canvas.getContext('2d')!
      for (let y = 0; y < 720; y += 80)
        for (let x = 0; x < 1280; x += 80) {
          ctx.fillStyle = ((x + y) / 80) % 2 === (invert ? 1 : 0) ? '#f0e0a0' : '#203040'
          ctx.fillRect(x, y, 80, 80)
        }
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer())
      return btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''))
    }
    return [await frame(false), await frame(true)]
  })
  const ask = async (path: string) => {
    const res = await page.request.get(`/api/library${path}`)
    if (!res.ok()) throw new Error(`GET ${path}: ${res.status()} ${await res.text()}`)
    return (await res.json()) as Record<string, unknown> & { request: StoredRequest }
  }
  const sample = (await ask(`/samples/${encodeURIComponent(sampleId)}`)) as unknown as SampleRecord
  const task = (await ask(`/tasks/${encodeURIComponent(sample.taskRecordId)}`)) as unknown as TaskRecord
  const now = Date.now()
  const refs: (FrameRef & { kind: 'stored' })[] = []
  for (const b64 of pngs) {
    const bytes = Buffer.from(b64, 'base64')
    const hash = await putBlob(page.request, bytes, 'image/png')
    refs.push({ kind: 'stored', hash, mime: 'image/png', width: 1280, height: 720, bytes: bytes.length, name: 'checks.png' })
  }
  const frames = refs.map(({ kind: _stored, ...frame }) => ({ ...frame, addedAt: now }))
  const request: StoredRequest = { ...sample.request, frames: { first: refs[0], last: refs[1] } }
  const taskId = `${task.taskId}-stranger`
  const taskRecordId = `${task.provider}:${taskId}`
  await importRecords(page.request, {
    frames,
    tasks: [
      {
        id: taskRecordId,
        provider: task.provider,
        taskId,
        request,
        createdAt: now,
        finishedAt: now,
        status: 'TASK_STATUS_SUCCEED',
        seed: task.seed,
        videoCount: 1,
      },
    ],
    samples: [
      {
        id: `${taskRecordId}#0`,
        taskRecordId,
        provider: sample.provider,
        index: 0,
        request,
        seed: sample.seed,
        createdAt: now,
        videoUrl: sample.videoUrl,
        urlExpiresAt: sample.urlExpiresAt,
        stored: true,
        videoSha256: sample.videoSha256,
        posterSha256: sample.posterSha256,
      },
    ],
  })
  return `${taskRecordId}#0`
}

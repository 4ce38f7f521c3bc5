import type { Page } from '@playwright/test'

/*
 * The comparison's e2e helpers that run in the page: pixels of screenshots compared, and a sample filed under other
 * frames, written to IndexedDB as the studio stores it.
 */

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
 * Someone else's frames: a copy of a sample (same video) filed as made from a checkerboard and its inverse. Returns
 * the copy's id.
 */
export function fileUnderOtherFrames(page: Page, sampleId: string): Promise<string> {
  return page.evaluate(async (original) => {
    const done = (r: IDBRequest | IDBTransaction) =>
      new Promise<void>((resolve, reject) => {
        r.addEventListener('error', () => reject(r.error))
        r.addEventListener(r instanceof IDBTransaction ? 'complete' : 'success', () => resolve())
      })
    const frame = async (invert: boolean) => {
      const canvas = new OffscreenCanvas(1280, 720)
      const ctx = canvas.getContext('2d')!
      for (let y = 0; y < 720; y += 80)
        for (let x = 0; x < 1280; x += 80) {
          ctx.fillStyle = ((x + y) / 80) % 2 === (invert ? 1 : 0) ? '#f0e0a0' : '#203040'
          ctx.fillRect(x, y, 80, 80)
        }
      const blob = await canvas.convertToBlob({ type: 'image/png' })
      const hash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()))]
        .map((b) => b.toString(16).padStart(2, '0'))
        .join('')
      return { hash, blob }
    }
    const [first, last] = [await frame(false), await frame(true)]
    const open = indexedDB.open('veo-studio')
    await done(open)
    const idb = open.result
    const read = idb.transaction(['samples', 'videos'])
    const getSample = read.objectStore('samples').get(original)
    const getVideo = read.objectStore('videos').get(original)
    await done(read)
    const sample = getSample.result
    const ref = (f: { hash: string; blob: Blob }) => ({
      kind: 'stored',
      hash: f.hash,
      mime: 'image/png',
      width: 1280,
      height: 720,
      bytes: f.blob.size,
      name: 'checks.png',
    })
    const id = `${sample.taskRecordId}-stranger#0`
    const write = idb.transaction(['frames', 'samples', 'videos'], 'readwrite')
    for (const f of [first, last])
      write.objectStore('frames').put({
        hash: f.hash,
        blob: f.blob,
        mime: 'image/png',
        width: 1280,
        height: 720,
        bytes: f.blob.size,
        name: 'checks.png',
        addedAt: Date.now(),
      })
    write.objectStore('samples').put({ ...sample, id, request: { ...sample.request, frames: { first: ref(first), last: ref(last) } } })
    write.objectStore('videos').put({ ...getVideo.result, sampleId: id })
    await done(write)
    return id
  }, sampleId)
}

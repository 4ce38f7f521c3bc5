/*
 * Seeded data (issue 11): N finished tasks, one sample each, written straight into the studio's IndexedDB as the
 * studio itself stores them: the task, the sample, its stored video and poster, and the frames the task was made
 * from (with their thumbnails, which the task strip shows). One tiny real MP4, its poster and a frame thumbnail are
 * made once with ffmpeg and their bytes reused for every sample, so the figures measure the studio, not the disk.
 * The samples vary where the gallery's filters look (model, provider, favourite, prompt, seed), so the count and
 * the filters can be checked at scale. Used by e2e/scale.spec.ts and `npm run bench -- scale`.
 */
import type { Page } from '@playwright/test'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { FrameRecord, SampleRecord, TaskRecord, VideoRecord } from '../src/db/db'
import { findTools } from '../server/engine/ffmpeg.ts'

const run = promisify(execFile)

/** The shared bytes, base64 (they cross into the page as JSON). */
export interface SeedMedia {
  video: string
  poster: string
  thumb: string
}

/** The seeded sample `i`'s prompt: a few words to search by, and its number. */
export const seededPrompt = (i: number) => `seeded sample ${i}: ${PHRASES[i % PHRASES.length]}`
const PHRASES = ['a slow push in over the dunes', 'orbit left around the lighthouse', 'a kite drifts over the sea', 'tilt up to the moon']

/**
 * Which seeded samples are favourites (every 10th), come from jiekou.ai (every 5th) and use Veo 3.0 (the odd ones):
 * the filters' answers, for the tests. Handed to the page as they are, so the page writes what the tests expect.
 */
export const SEEDED_EVERY = { favourite: 10, jiekou: 5, veo30: 2 }

let made: Promise<SeedMedia> | undefined

/** A 2 s 320×180 H.264 clip, a JPEG still from its middle and a 112×80 frame thumbnail; made once, kept in the temp dir. */
export function seedMedia(): Promise<SeedMedia> {
  made ??= (async () => {
    const dir = join(tmpdir(), 'veo-studio-seed-media-v1')
    const files = { video: join(dir, 'clip.mp4'), poster: join(dir, 'poster.jpg'), thumb: join(dir, 'thumb.jpg') }
    if (!Object.values(files).every(existsSync)) {
      await mkdir(dir, { recursive: true })
      const { ffmpeg } = await findTools()
      const ff = (out: string, args: string[]) =>
        run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args, `${out}.tmp.${out.split('.').pop()}`])
      // Written beside their name and then moved: two runs at once never read half a file.
      await ff(files.video, [
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=320x180:rate=24:duration=2',
        '-c:v',
        'libx264',
        '-pix_fmt',
        'yuv420p',
        '-movflags',
        '+faststart',
      ])
      await ff(files.poster, ['-ss', '1', '-i', `${files.video}.tmp.mp4`, '-frames:v', '1', '-q:v', '5'])
      await ff(files.thumb, ['-f', 'lavfi', '-i', 'testsrc2=size=112x80', '-frames:v', '1', '-q:v', '5'])
      for (const f of Object.values(files)) await rename(`${f}.tmp.${f.split('.').pop()}`, f)
    }
    const b64 = async (f: string) => (await readFile(f)).toString('base64')
    return { video: await b64(files.video), poster: await b64(files.poster), thumb: await b64(files.thumb) }
  })()
  return made
}

interface WriteArgs {
  count: number
  media: SeedMedia
  now: number
  facts: { phrases: string[]; every: typeof SEEDED_EVERY }
}

/**
 * In the page (so self-contained: no imports at run time): writes the seeded records with the browser's own
 * IndexedDB, in one transaction.
 */
async function writeSeed({ count, media, now, facts }: WriteArgs) {
  const done = (target: IDBRequest | IDBTransaction) =>
    new Promise<void>((resolve, reject) => {
      target.addEventListener('error', () => reject(target.error))
      target.addEventListener(target instanceof IDBTransaction ? 'complete' : 'success', () => resolve())
    })
  const blob = (b64: string, type: string) => new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type })
  const video = blob(media.video, 'video/mp4')
  const poster = blob(media.poster, 'image/jpeg')
  const thumb = blob(media.thumb, 'image/jpeg')
  const opening = indexedDB.open('veo-studio')
  await done(opening)
  const idb = opening.result
  const tx = idb.transaction(['frames', 'tasks', 'samples', 'videos'], 'readwrite')
  const frame = (hash: string): FrameRecord => ({
    hash,
    blob: thumb,
    thumb,
    mime: 'image/jpeg',
    width: 112,
    height: 80,
    bytes: thumb.size,
    name: `${hash}.jpg`,
    addedAt: now,
  })
  for (const f of [frame('seeded-first'), frame('seeded-last')]) tx.objectStore('frames').put(f)
  const ref = (hash: string) => ({
    kind: 'stored' as const,
    hash,
    mime: 'image/jpeg' as const,
    width: 112,
    height: 80,
    bytes: thumb.size,
    name: `${hash}.jpg`,
  })
  for (let i = 0; i < count; i++) {
    const jiekou = i % facts.every.jiekou === 0
    const veo30 = i % facts.every.veo30 === 1
    const provider = jiekou ? 'jiekou' : 'local'
    const id = `${provider}:scale-${i}`
    const request: TaskRecord['request'] = {
      modelId: veo30 ? 'veo-3.0-generate-preview-img2video' : 'veo-3.1-generate-firstlastframe',
      params: {
        prompt: `seeded sample ${i}: ${facts.phrases[i % facts.phrases.length]}`,
        seed: i,
        duration_seconds: 4,
        resolution: '720p',
        aspect_ratio: '16:9',
        sample_count: 1,
      },
      frames: veo30 ? { first: ref('seeded-first') } : { first: ref('seeded-first'), last: ref('seeded-last') },
    }
    // Sample `count - 1` is the newest: the gallery's first card; sample 0 its last.
    const createdAt = now - (count - i) * 60_000
    const finishedAt = createdAt + 30_000
    tx.objectStore('tasks').put({
      id,
      provider,
      taskId: `scale-${i}`,
      request,
      createdAt,
      finishedAt,
      status: 'TASK_STATUS_SUCCEED',
      reason: '',
      seed: String(i),
      videoCount: 1,
    } satisfies TaskRecord)
    tx.objectStore('samples').put({
      id: `${id}#0`,
      taskRecordId: id,
      provider,
      index: 0,
      request,
      seed: String(i),
      createdAt: finishedAt,
      videoUrl: `/api/local/videos/scale-${i}.mp4`,
      urlExpiresAt: 0,
      stored: true,
      favourite: i % facts.every.favourite === 0 ? 1 : 0,
    } satisfies SampleRecord)
    tx.objectStore('videos').put({ sampleId: `${id}#0`, blob: video, poster } satisfies VideoRecord)
  }
  await done(tx)
  idb.close()
}

/**
 * Fills the studio's IndexedDB with `count` seeded samples (and their finished tasks), then reloads. The page must be
 * on the studio already; the gallery's first read means the studio has opened (and created) its database.
 */
export async function seedSamples(page: Page, count: number, now = Date.now()): Promise<void> {
  await page.getByRole('region', { name: 'Gallery' }).waitFor()
  // tsx keeps function names with a `__name` helper, which the page lacks: the seed's inner functions need it there.
  // oxlint-disable-next-line no-underscore-dangle
  await page.evaluate(() => ((globalThis as { __name?: unknown }).__name ??= (f: unknown) => f))
  await page.evaluate(writeSeed, { count, media: await seedMedia(), now, facts: { phrases: PHRASES, every: SEEDED_EVERY } })
  await page.reload()
}

/*
 * Seeded data (issue 11, on the gateway since issue 18): N finished tasks, one sample each, imported into this
 * test's library on the gateway through its API: the task, the sample, its archived video and poster, and the frame
 * the task was made from. One tiny real MP4, its poster and a frame thumbnail are
 * made once with ffmpeg and their bytes reused for every sample, so the figures measure the studio, not the disk.
 * The samples vary where the gallery's filters look (model, provider, favourite, prompt, seed), so the count and
 * the filters can be checked at scale. Used by e2e/scale.spec.ts and `npm run bench -- scale`.
 */
import type { Page } from '@playwright/test'
import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { TaskRecord } from '../src/db/db'
import { importRecords, putBlob } from './seed-gateway'
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

/**
 * The seeded records: `count` finished tasks of one stored sample each, sharing one video, poster and frame
 * thumbnail by their SHA-256. Sample `count - 1` is the newest: the gallery's first card; sample 0 its last.
 */
export function seededRecords(count: number, now: number, files: { video: string; poster: string; frame: string; frameBytes: number }) {
  // New ids each time: a task's id is the gateway's, across workspaces, and every e2e test seeds a workspace of its own.
  const batch = randomUUID().slice(0, 8)
  const frame = {
    hash: files.frame,
    mime: 'image/jpeg' as const,
    width: 112,
    height: 80,
    bytes: files.frameBytes,
    name: 'seeded-frame.jpg',
    addedAt: now,
  }
  const ref = { kind: 'stored' as const, hash: frame.hash, mime: frame.mime, width: 112, height: 80, bytes: frame.bytes, name: frame.name }
  const tasks: TaskRecord[] = []
  const samples: Record<string, unknown>[] = []
  for (let i = 0; i < count; i++) {
    const jiekou = i % SEEDED_EVERY.jiekou === 0
    const veo30 = i % SEEDED_EVERY.veo30 === 1
    const provider = jiekou ? 'jiekou' : 'local'
    const id = `${provider}:scale-${batch}-${i}`
    const request: TaskRecord['request'] = {
      modelId: veo30 ? 'veo-3.0-generate-preview-img2video' : 'veo-3.1-generate-firstlastframe',
      params: { prompt: seededPrompt(i), seed: i, duration_seconds: 4, resolution: '720p', aspect_ratio: '16:9', sample_count: 1 },
      frames: veo30 ? { first: ref } : { first: ref, last: ref },
    }
    const createdAt = now - (count - i) * 60_000
    const finishedAt = createdAt + 30_000
    tasks.push({
      id,
      provider,
      taskId: `scale-${batch}-${i}`,
      request,
      createdAt,
      finishedAt,
      status: 'TASK_STATUS_SUCCEED',
      reason: '',
      seed: String(i),
      videoCount: 1,
    })
    samples.push({
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
      videoSha256: files.video,
      posterSha256: files.poster,
      favourite: i % SEEDED_EVERY.favourite === 0,
    })
  }
  return { frames: [frame], tasks: tasks as unknown as Record<string, unknown>[], samples }
}

/**
 * Fills this test's library on the gateway with `count` seeded samples (and their finished tasks), through its API,
 * then reloads. The page must be on the studio already.
 */
export async function seedSamples(page: Page, count: number, now = Date.now()): Promise<void> {
  await page.getByRole('region', { name: 'Gallery' }).waitFor()
  const media = await seedMedia()
  const bytes = (b64: string) => Buffer.from(b64, 'base64')
  const files = {
    video: await putBlob(page.request, bytes(media.video), 'video/mp4'),
    poster: await putBlob(page.request, bytes(media.poster), 'image/jpeg'),
    frame: await putBlob(page.request, bytes(media.thumb), 'image/jpeg'),
    frameBytes: bytes(media.thumb).length,
  }
  await importRecords(page.request, seededRecords(count, now, files))
  await page.reload()
}

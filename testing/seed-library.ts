/*
 * Seeded data on the gateway (issue 18): N finished tasks, one sample each, written straight into a library's
 * database as the runner writes them, with the same tiny real MP4 and still as testing/seed-samples.ts (made once with
 * ffmpeg, stored once by their SHA-256 and shared by every sample). The samples vary as the browser's seed does
 * (model, provider, favourite, prompt, seed), so the API's filters can be checked at scale. `npm run bench -- library`.
 */
import type { Library } from '../server/library/library.ts'
import { jsonb } from '../server/library/db/db.ts'
import type { NewSample, NewTask } from '../server/library/db/schema.ts'
import { SEEDED_EVERY, seededPrompt, seedMedia } from './seed-samples.ts'

const CHUNK = 500

export async function seedLibrary(library: Library, count: number, now = Date.now(), workspace = 'local'): Promise<void> {
  const media = await seedMedia()
  const video = await library.blobs.put(Buffer.from(media.video, 'base64'))
  const poster = await library.blobs.put(Buffer.from(media.poster, 'base64'))
  const { db } = library.store
  await db
    .insertInto('blobs')
    .values([
      { sha256: video.sha256, size: video.size, mime: 'video/mp4' },
      { sha256: poster.sha256, size: poster.size, mime: 'image/jpeg' },
    ])
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute()
  for (let from = 0; from < count; from += CHUNK) {
    const tasks: NewTask[] = []
    const samples: NewSample[] = []
    for (let i = from; i < Math.min(count, from + CHUNK); i++) {
      const provider = i % SEEDED_EVERY.jiekou === 0 ? 'jiekou' : 'local'
      const veo30 = i % SEEDED_EVERY.veo30 === 1
      const id = `${provider}:scale-${i}`
      const request = {
        modelId: veo30 ? 'veo-3.0-generate-preview-img2video' : 'veo-3.1-generate-firstlastframe',
        params: { prompt: seededPrompt(i), seed: i, duration_seconds: 4, resolution: '720p', aspect_ratio: '16:9', sample_count: 1 },
        frames: {},
      }
      const createdAt = new Date(now - (count - i) * 60_000)
      const finishedAt = new Date(createdAt.getTime() + 30_000)
      tasks.push({
        workspace_id: workspace,
        id,
        provider,
        task_id: `scale-${i}`,
        request: jsonb(request),
        created_at: createdAt,
        finished_at: finishedAt,
        archived_at: finishedAt,
        status: 'TASK_STATUS_SUCCEED',
        reason: '',
        seed: String(i),
        video_count: 1,
      })
      samples.push({
        workspace_id: workspace,
        id: `${id}#0`,
        task_record_id: id,
        provider,
        idx: 0,
        request: jsonb(request),
        seed: String(i),
        created_at: finishedAt,
        video_url: `/api/local/videos/scale-${i}.mp4`,
        url_expires_at: finishedAt,
        video_sha256: video.sha256,
        poster_sha256: poster.sha256,
        favourite: i % SEEDED_EVERY.favourite === 0,
      })
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('tasks').values(tasks).execute()
      await trx.insertInto('samples').values(samples).execute()
    })
  }
}

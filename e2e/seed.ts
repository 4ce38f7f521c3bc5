import { expect, type Page } from '@playwright/test'
import type { SampleRecord, TaskRecord } from '../src/db/db'
import { seedSamples } from '../testing/seed-samples'

interface Seed {
  tasks: number
  samplesEach: number
  provider: 'local' | 'jiekou'
}

/** In the page: writes the seeded tasks and samples, as the studio itself stores them. */
async function writeSeed({ tasks, samplesEach, provider }: Seed) {
  const done = (target: IDBRequest | IDBTransaction) =>
    new Promise<void>((resolve, reject) => {
      target.addEventListener('error', () => reject(target.error))
      target.addEventListener(target instanceof IDBTransaction ? 'complete' : 'success', () => resolve())
    })
  const opening = indexedDB.open('veo-studio')
  await done(opening)
  const idb = opening.result
  const tx = idb.transaction(['tasks', 'samples'], 'readwrite')
  const now = Date.now()
  for (let i = 0; i < tasks; i++) {
    const id = `${provider}:seed-${i}`
    const request: TaskRecord['request'] = {
      modelId: 'veo-3.1-generate-firstlastframe',
      params: { prompt: `seeded ${provider} task ${i}`, seed: i },
      frames: {},
    }
    const createdAt = now - (tasks - i) * 60_000
    const finishedAt = createdAt + 30_000
    const task: TaskRecord = {
      id,
      provider,
      taskId: `seed-${i}`,
      request,
      createdAt,
      finishedAt,
      status: 'TASK_STATUS_SUCCEED',
      reason: '',
      seed: String(i),
      videoCount: samplesEach,
    }
    tx.objectStore('tasks').put(task)
    for (let index = 0; index < samplesEach; index++)
      tx.objectStore('samples').put({
        id: `${id}#${index}`,
        taskRecordId: id,
        provider,
        index,
        request,
        seed: String(i),
        createdAt: finishedAt,
        // An expired link, not stored: the studio fetches nothing for it.
        videoUrl: '/api/local/videos/expired.mp4',
        urlExpiresAt: 0,
        stored: false,
        favourite: 0,
      } satisfies SampleRecord)
  }
  await done(tx)
  idb.close()
}

/**
 * Finished tasks and their samples written straight into the studio's IndexedDB, then a reload: enough content
 * to fill every panel without rendering dozens of videos.
 */
export async function seedFinishedTasks(page: Page, tasks: number, { samplesEach = 2, provider = 'local' }: Partial<Seed> = {}) {
  await page.goto('/')
  // The gallery's first read means the studio has opened (and created) its database.
  await expect(page.getByRole('region', { name: 'Gallery' })).toBeVisible()
  await page.evaluate(writeSeed, { tasks, samplesEach, provider })
  await page.reload()
}

/**
 * `count` finished tasks of one stored sample each (a real tiny video and its poster), varied where the gallery's
 * filters look: testing/seed-samples.ts, shared with `npm run bench -- scale`. Sample `count - 1` is the newest.
 */
export async function seedStoredSamples(page: Page, count: number) {
  await page.goto('/')
  await seedSamples(page, count)
}

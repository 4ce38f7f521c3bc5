import { expect, type Page } from '@playwright/test'
import { randomUUID } from 'node:crypto'
import type { TaskRecord } from '../src/db/db'
import { importRecords } from '../testing/seed-gateway'
import { seedSamples } from '../testing/seed-samples'

interface Seed {
  tasks: number
  samplesEach: number
  provider: 'local' | 'jiekou'
}

/**
 * The seeded tasks and samples, as the gateway's library answers them. Their ids are new each time: a task's id is
 * the gateway's, across workspaces, and every test seeds a workspace of its own.
 */
function seedRecords({ tasks, samplesEach, provider }: Seed) {
  const now = Date.now()
  const batch = randomUUID().slice(0, 8)
  const taskRecords: TaskRecord[] = []
  const samples: Record<string, unknown>[] = []
  for (let i = 0; i < tasks; i++) {
    const id = `${provider}:seed-${batch}-${i}`
    const request: TaskRecord['request'] = {
      modelId: 'veo-3.1-generate-firstlastframe',
      params: { prompt: `seeded ${provider} task ${i}`, seed: i },
      frames: {},
    }
    const createdAt = now - (tasks - i) * 60_000
    const finishedAt = createdAt + 30_000
    taskRecords.push({
      id,
      provider,
      taskId: `seed-${batch}-${i}`,
      request,
      createdAt,
      finishedAt,
      status: 'TASK_STATUS_SUCCEED',
      reason: '',
      seed: String(i),
      videoCount: samplesEach,
    })
    for (let index = 0; index < samplesEach; index++)
      samples.push({
        id: `${id}#${index}`,
        taskRecordId: id,
        provider,
        index,
        request,
        seed: String(i),
        createdAt: finishedAt,
        // An expired link, never archived: the studio fetches nothing for it.
        videoUrl: '/api/local/videos/expired.mp4',
        urlExpiresAt: 0,
        stored: false,
        favourite: false,
      })
  }
  return { tasks: taskRecords as unknown as Record<string, unknown>[], samples }
}

/**
 * Finished tasks and their samples imported into this test's library on the gateway, then a reload: enough content
 * to fill every panel without rendering dozens of videos.
 */
export async function seedFinishedTasks(page: Page, tasks: number, { samplesEach = 2, provider = 'local' }: Partial<Seed> = {}) {
  await page.goto('/')
  await expect(page.getByRole('region', { name: 'Gallery' })).toBeVisible()
  await importRecords(page.request, seedRecords({ tasks, samplesEach, provider }))
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

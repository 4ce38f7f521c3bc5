import { createHash, randomUUID } from 'node:crypto'
import { type APIRequestContext, type Page } from '@playwright/test'
import { expect, test, workspaceHeaders } from './fixtures'
import { cardVideo, expectPlays, pick, trySampleFrames } from './helpers'
import { freePort, gatewayDirs, startGateway } from './own-gateway'
import { seedMedia } from '../testing/seed-samples'

/*
 * The library lives on the gateway (issue 18): work goes on with every tab closed, a fresh browser profile finds it,
 * a second browser sees a new sample without a reload, and a gateway killed in the middle of a render carries the
 * task to its end after a restart.
 */

const sampleCards = (page: Page) => page.getByRole('article', { name: /^Sample:/ })

async function composeAndGenerate(page: Page, prompt: string, duration: '4 s' | '8 s' = '4 s') {
  await trySampleFrames(page)
  await page.getByLabel('Prompt', { exact: true }).fill(prompt)
  await pick(page, 'Duration', duration)
  await pick(page, 'Resolution', '720p')
  await pick(page, 'Samples', '1')
  await page.getByRole('button', { name: /^Generate/ }).click()
}

/** The samples the gateway holds for this test's workspace, asked without any page open. */
async function gatewaySampleCount(request: APIRequestContext, base = ''): Promise<number> {
  const res = await request.get(`${base}/api/library/samples/count`)
  expect(res.ok()).toBe(true)
  return ((await res.json()) as { count: number }).count
}

test('with every tab closed the gateway finishes the task; a fresh browser profile finds the sample playing', async ({
  browser,
  page,
  request,
}, testInfo) => {
  await composeAndGenerate(page, 'a lighthouse while nobody watches')
  // The request has reached the gateway: it shows on the task strip.
  await expect(page.getByRole('list', { name: 'Tasks' }).getByRole('listitem')).toHaveCount(1)
  await page.context().close()

  // No tab is open: the gateway sends, polls and archives on its own.
  await expect.poll(() => gatewaySampleCount(request), { timeout: 60_000 }).toBe(1)

  // A fresh profile: no IndexedDB, no local storage, only this test's library on the gateway.
  const fresh = await browser.newContext({ extraHTTPHeaders: workspaceHeaders(testInfo) })
  const again = await fresh.newPage()
  await again.goto('/')
  const card = sampleCards(again).first()
  await expect(card).toHaveAccessibleName(/a lighthouse while nobody watches/)
  await expectPlays(await cardVideo(card))
  await fresh.close()
})

test('two browsers on one library: a sample made in one appears in the other within seconds, with no reload', async ({
  browser,
  page,
}, testInfo) => {
  const other = await browser.newContext({ extraHTTPHeaders: workspaceHeaders(testInfo) })
  const watcher = await other.newPage()
  await watcher.goto('/')
  await expect(watcher.getByRole('region', { name: 'Gallery' })).toBeVisible()
  let reloaded = false
  watcher.on('framenavigated', (f) => {
    if (f === watcher.mainFrame()) reloaded = true
  })

  await composeAndGenerate(page, 'two windows on one harbour')
  await expect(sampleCards(page)).toHaveCount(1, { timeout: 60_000 })
  // The change feed brings it to the other browser: a second at most after the first one shows it.
  await expect(sampleCards(watcher)).toHaveCount(1, { timeout: 5_000 })
  await expect(sampleCards(watcher).first()).toHaveAccessibleName(/two windows on one harbour/)
  expect(reloaded).toBe(false)
  await other.close()
})

test('a gateway killed in the middle of a render: after a restart the task goes on and its sample plays', async ({ browser }) => {
  test.setTimeout(180_000)
  const dirs = gatewayDirs('kill')
  const port = await freePort()
  // Slow renders: the kill lands in the middle of one.
  const slow = { LOCAL_ENGINE_PACE_MS: '1500' }
  let gateway = await startGateway(port, dirs, slow)
  const context = await browser.newContext({ baseURL: gateway.url })
  try {
    const page = await context.newPage()
    await composeAndGenerate(page, 'a kite that survives a crash', '8 s')
    const card = page.getByRole('list', { name: 'Tasks' }).getByRole('listitem').first()
    await expect(card).toContainText(/Rendering/, { timeout: 60_000 })

    await gateway.stop('SIGKILL')
    gateway = await startGateway(port, dirs, slow)

    // The same tab, never reloaded: the feed comes back, and the task ends with its video.
    await expect(sampleCards(page)).toHaveCount(1, { timeout: 120_000 })
    await expectPlays(await cardVideo(sampleCards(page).first()))
    // Sent once: one task, never a second.
    const tasks = (await (await page.request.get('/api/library/tasks')).json()) as { items: unknown[] }
    expect(tasks.items).toHaveLength(1)
  } finally {
    await context.close()
    await gateway.stop('SIGKILL')
    dirs.remove()
  }
})

/**
 * In the page: the previous version's IndexedDB library (Dexie's version 3 schema), with one task of two samples. Its
 * ids are new each run (`run`): a task's id is the gateway's, across workspaces, and each run's test has its own.
 */
async function writeOldLibrary({ run, ...media }: { video: string; poster: string; run: string }) {
  const bytes = (b64: string, type: string) => new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type })
  const open = indexedDB.open('veo-studio', 30)
  open.addEventListener('upgradeneeded', () => {
    const db = open.result
    db.createObjectStore('frames', { keyPath: 'hash' })
    db.createObjectStore('tasks', { keyPath: 'id' }).createIndex('createdAt', 'createdAt')
    const tasks = open.transaction!.objectStore('tasks')
    tasks.createIndex('experimentId', 'experimentId')
    db.createObjectStore('samples', { keyPath: 'id' }).createIndex('createdAt', 'createdAt')
    db.createObjectStore('videos', { keyPath: 'sampleId' })
    db.createObjectStore('experiments', { keyPath: 'id' }).createIndex('createdAt', 'createdAt')
    db.createObjectStore('queue', { keyPath: 'id' }).createIndex('createdAt', 'createdAt')
    db.createObjectStore('prompts', { keyPath: 'text' }).createIndex('lastUsedAt', 'lastUsedAt')
  })
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    open.addEventListener('success', () => resolve(open.result))
    open.addEventListener('error', () => reject(open.error))
  })
  const now = Date.now()
  const request = { modelId: 'veo-3.1-generate-firstlastframe', params: { prompt: 'an old harbour, moved across', seed: 7 }, frames: {} }
  const tx = db.transaction(['tasks', 'samples', 'videos', 'prompts', 'experiments'], 'readwrite')
  tx.objectStore('experiments').put({
    id: `old-experiment-${run}`,
    name: 'Old harbour sweep',
    createdAt: now - 120_000,
    base: request,
    rows: ['an old harbour, moved across'],
    columns: [{ seed: 7 }],
    marks: { '0:0': { winner: true, note: 'kept from before' } },
  })
  tx.objectStore('tasks').put({
    id: `local:old-task-${run}`,
    provider: 'local',
    taskId: `old-task-${run}`,
    request,
    createdAt: now - 90_000,
    finishedAt: now - 60_000,
    status: 'TASK_STATUS_SUCCEED',
    reason: '',
    seed: '7',
    videoCount: 2,
    experimentId: `old-experiment-${run}`,
    cell: { row: 0, col: 0 },
  })
  for (const index of [0, 1]) {
    const id = `local:old-task-${run}#${index}`
    tx.objectStore('samples').put({
      id,
      taskRecordId: `local:old-task-${run}`,
      provider: 'local',
      index,
      request,
      seed: '7',
      createdAt: now - 60_000,
      videoUrl: '/api/local/videos/long-gone.mp4',
      urlExpiresAt: now - 1_000,
      stored: true,
      favourite: index === 0 ? 1 : 0,
    })
    tx.objectStore('videos').put({ sampleId: id, blob: bytes(media.video, 'video/mp4'), poster: bytes(media.poster, 'image/jpeg') })
  }
  tx.objectStore('prompts').put({ text: 'an old harbour, moved across', lastUsedAt: now - 90_000, uses: 3 })
  await new Promise<void>((resolve, reject) => {
    tx.addEventListener('complete', () => resolve())
    tx.addEventListener('error', () => reject(tx.error))
  })
  db.close()
}

test('an old IndexedDB library is brought across: progress, every video checked, played from the gateway, then the old one is gone', async ({
  page,
  request,
}) => {
  // The previous version's library, in this browser, before the studio first opens.
  await page.goto('/api/config')
  const media = await seedMedia()
  await page.evaluate(writeOldLibrary, { ...media, run: randomUUID().slice(0, 8) })

  await page.goto('/')
  const move = page.getByRole('region', { name: 'Move your library to the gateway' })
  await expect(move.getByRole('status')).toContainText(/Moved \d+ items?/, { timeout: 60_000 })

  // Both samples are in the gateway's library, their videos the same bytes, one still a favourite.
  const sha = createHash('sha256').update(Buffer.from(media.video, 'base64')).digest('hex')
  const samples = (await (await request.get('/api/library/samples')).json()) as { items: { videoSha256?: string; favourite: boolean }[] }
  expect(samples.items.map((s) => s.videoSha256)).toEqual([sha, sha])
  expect(samples.items.filter((s) => s.favourite)).toHaveLength(1)
  await move.getByRole('button', { name: 'Close' }).click()
  await expect(sampleCards(page)).toHaveCount(2)
  await expectPlays(await cardVideo(sampleCards(page).first()))

  // The board came with its winner and note, and the prompt with its history.
  const boards = (await (await request.get('/api/library/experiments')).json()) as { items: { name: string; marks: unknown }[] }
  expect(boards.items).toEqual([
    expect.objectContaining({ name: 'Old harbour sweep', marks: { '0:0': { winner: true, note: 'kept from before' } } }),
  ])
  const prompts = (await (await request.get('/api/library/prompts')).json()) as { items: { text: string }[] }
  expect(prompts.items.map((p) => p.text)).toContain('an old harbour, moved across')

  // Only once the gateway confirmed everything is the old database deleted; a reload offers no second move.
  expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain('veo-studio')
  await page.reload()
  await expect(sampleCards(page)).toHaveCount(2)
  await expect(move).toHaveCount(0)
})

// @vitest-environment node
import Dexie from 'dexie'
import { afterEach, describe, expect, it } from 'vitest'
import { db } from './db'

afterEach(async () => {
  await db.delete()
  await db.open()
})

/** A database as version 1 of the studio left it: samples without a provider, and the old indexes. */
async function seedVersion1(rows: { tasks: object[]; samples: object[] }) {
  db.close()
  await Dexie.delete(db.name)
  const v1 = new Dexie(db.name)
  v1.version(1).stores({
    frames: 'hash',
    tasks: 'id, createdAt, status',
    samples: 'id, taskRecordId, createdAt, favourite',
    videos: 'sampleId',
  })
  await v1.table('tasks').bulkPut(rows.tasks)
  await v1.table('samples').bulkPut(rows.samples)
  v1.close()
}

const request = { modelId: 'veo-3.1-generate-firstlastframe', params: {}, frames: {} }
const task = (provider: string, taskId: string) => ({
  id: `${provider}:${taskId}`,
  provider,
  taskId,
  request,
  createdAt: 1,
  status: 'TASK_STATUS_SUCCEED',
  reason: '',
  finishedAt: 2,
})
const sample = (taskRecordId: string) => ({
  id: `${taskRecordId}#0`,
  taskRecordId,
  index: 0,
  request,
  seed: '1',
  createdAt: 2,
  videoUrl: 'https://cdn.example/v.mp4',
  urlExpiresAt: 3,
  stored: true,
  favourite: 1,
})

describe('upgrading a version 1 database', () => {
  it("names each sample's provider from its task, and keeps everything else", async () => {
    await seedVersion1({
      tasks: [task('jiekou', 'a'), task('local', 'b')],
      samples: [sample('jiekou:a'), sample('local:b'), sample('jiekou:no-task')],
    })
    await db.open()
    expect(db.verno).toBe(3)
    expect(await db.samples.get('jiekou:a#0')).toEqual({ ...sample('jiekou:a'), provider: 'jiekou' })
    expect(await db.samples.get('local:b#0')).toEqual({ ...sample('local:b'), provider: 'local' })
    // A sample whose task is gone: its id still says where it came from.
    expect((await db.samples.get('jiekou:no-task#0'))?.provider).toBe('jiekou')
    expect(await db.tasks.get('jiekou:a')).toEqual(task('jiekou', 'a'))
  })

  it('keeps only the indexes a query uses, and adds the tables of version 3', async () => {
    await seedVersion1({ tasks: [], samples: [] })
    await db.open()
    const indexes = (table: string) => [...db.backendDB().transaction(table).objectStore(table).indexNames]
    // Both lists sort by createdAt; a board finds its tasks by experiment.
    expect(indexes('tasks')).toEqual(['createdAt', 'experimentId'])
    expect(indexes('samples')).toEqual(['createdAt'])
    expect(indexes('experiments')).toEqual(['createdAt'])
    expect(indexes('queue')).toEqual(['createdAt'])
    expect(indexes('prompts')).toEqual(['lastUsedAt'])
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { jsonb } from '../db/db.ts'
import { createLogger } from '../../logger.ts'
import { ENGINES } from '../../testing/library-harness.ts'
import {
  closeLibraryApis,
  seedExperiment,
  seedSamples,
  startLibraryApi,
  storeBlob,
  type LibraryApi,
} from '../../testing/library-fixtures.ts'
import { PURGE_GRACE_MS, runPurge } from './purge.ts'

/*
 * The purge, run directly with a `now` (the runner runs it every minute): what was deleted more than PURGE_GRACE_MS
 * ago goes for good, on both engines; what is younger stays undoable; files stay in the blob store.
 */

afterEach(closeLibraryApis)

const NOW = Date.parse('2026-11-01T12:00:00Z')
const ago = (ms: number) => new Date(NOW - ms)
const MIN = 60_000

const purge = (api: LibraryApi, lines: string[] = []) =>
  runPurge({ db: api.db, feed: api.library.feed, logger: createLogger((l) => lines.push(l)) }, NOW)

describe.each(ENGINES)('the purge on %s', (engine) => {
  it('removes samples and experiments deleted more than 5 minutes ago, with the experiment’s tasks and samples', async () => {
    const api = await startLibraryApi(engine)
    expect(PURGE_GRACE_MS).toBe(5 * MIN)
    const shared = await storeBlob(api.library, new Uint8Array(2048).fill(1), 'video/mp4')
    const own = await storeBlob(api.library, new Uint8Array(2048).fill(2), 'video/mp4')
    const [old] = await seedSamples(api.db, { id: 'old', videoSha256: own })
    const [young] = await seedSamples(api.db, { id: 'young' })
    const [live] = await seedSamples(api.db, { id: 'live', videoSha256: shared })
    const [sameFile] = await seedSamples(api.db, { id: 'same-file', videoSha256: shared })
    await api.db
      .updateTable('samples')
      .set({ deleted_at: ago(5 * MIN + 1) })
      .where('id', 'in', [old!, sameFile!])
      .execute()
    await api.db
      .updateTable('samples')
      .set({ deleted_at: ago(4 * MIN) })
      .where('id', '=', young!)
      .execute()

    await seedExperiment(api.db, { id: 'exp-old', deleted: true })
    await seedExperiment(api.db, { id: 'exp-young', deleted: true })
    await seedExperiment(api.db, { id: 'exp-live' })
    await api.db
      .updateTable('experiments')
      .set({ deleted_at: ago(6 * MIN) })
      .where('id', '=', 'exp-old')
      .execute()
    await api.db
      .updateTable('experiments')
      .set({ deleted_at: ago(MIN) })
      .where('id', '=', 'exp-young')
      .execute()
    const oldCells = await seedSamples(api.db, { id: 'c-old', experimentId: 'exp-old', count: 2 })
    await seedSamples(api.db, { id: 'c-young', experimentId: 'exp-young' })
    await seedSamples(api.db, { id: 'c-live', experimentId: 'exp-live' })
    for (const [id, state] of [
      ['req-cancelled', 'cancelled'],
      ['req-out', 'sending'],
    ])
      await api.db
        .insertInto('submit_queue')
        .values({
          workspace_id: 'local',
          id: id!,
          created_at: ago(7 * MIN),
          provider: 'local',
          request: jsonb({ modelId: 'm', params: {}, frames: {} }),
          model_path: '/v3/async/m',
          body: jsonb({}),
          priority: 1,
          retry_of: null,
          experiment_id: 'exp-old',
          cell: null,
          state: state!,
          sent_at: null,
          not_before: null,
          error: null,
          trouble: null,
          task_record_id: null,
        })
        .execute()
    // Another workspace's old deletion goes too, recorded in its own feed.
    const [theirs] = await seedSamples(api.db, { id: 'theirs', workspace: 'elsewhere' })
    await api.db
      .updateTable('samples')
      .set({ deleted_at: ago(10 * MIN) })
      .where('id', '=', theirs!)
      .execute()

    const lines: string[] = []
    const purged = await purge(api, lines)
    const mine = purged.find((p) => p.workspace === 'local')!
    expect(mine.samples.sort()).toEqual([...oldCells, old, sameFile].sort())
    expect(mine.tasks).toEqual(['local:c-old'])
    expect(mine.experiments).toEqual(['exp-old'])
    expect(mine.requests).toEqual(['req-cancelled'])
    expect(purged.find((p) => p.workspace === 'elsewhere')).toMatchObject({ samples: [theirs], tasks: [], experiments: [] })
    expect(lines.some((l) => l.includes('runner.purged'))).toBe(true)

    const rows = async (table: 'samples' | 'tasks' | 'experiments' | 'submit_queue') =>
      (await api.db.selectFrom(table).select('id').execute()).map((r) => r.id).sort()
    expect(await rows('samples')).toEqual(['local:c-live#0', 'local:c-young#0', live, young].sort())
    expect(await rows('experiments')).toEqual(['exp-live', 'exp-young'])
    expect(await rows('tasks')).toEqual([
      'local:c-live',
      'local:c-young',
      'local:live',
      'local:old',
      'local:same-file',
      'local:theirs',
      'local:young',
    ])
    expect(await rows('submit_queue')).toEqual(['req-out'])

    // Gone for good: Undo says so. Younger deletions are still undoable.
    const late = await api.call('POST', `/samples/${encodeURIComponent(old!)}/restore`)
    expect(late.status).toBe(404)
    expect(late.body.message).toBe(`No sample ${old}: its undo window has passed and it was removed for good.`)
    expect((await api.call('POST', '/experiments/exp-old/restore')).status).toBe(404)
    expect((await api.call('POST', `/samples/${encodeURIComponent(young!)}/restore`)).status).toBe(200)
    expect((await api.call('POST', '/experiments/exp-young/restore')).status).toBe(200)

    // Files stay: the one another sample names is still served through it; the other waits for a later blob GC.
    const file = await api.call('GET', `/files/${shared}`)
    expect(file.status).toBe(200)
    expect(await api.library.blobs.size(own)).toBe(2048)

    const events = (await api.library.feed.since(api.db, 'local', 0)).map((e) => e.topic)
    expect(events).toEqual(expect.arrayContaining(['samples', 'tasks', 'queue', 'experiments', 'storage']))
    expect((await api.library.feed.since(api.db, 'elsewhere', 0)).map((e) => [e.topic, e.ids])).toEqual([
      ['samples', [theirs]],
      ['storage', []],
    ])
    // Run again: nothing left to purge, nothing recorded.
    const count = (await api.library.feed.since(api.db, 'local', 0)).length
    expect(await purge(api)).toEqual([])
    expect((await api.library.feed.since(api.db, 'local', 0)).length).toBe(count)
  })
})

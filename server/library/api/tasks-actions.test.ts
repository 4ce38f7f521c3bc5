import { afterEach, describe, expect, it } from 'vitest'
import { jsonb } from '../db/db.ts'
import { ENGINES } from '../../testing/library-harness.ts'
import { closeLibraryApis, seedExperiment, seedTask, startLibraryApi, type LibraryApi } from '../../testing/library-fixtures.ts'
import { until } from '../../testing/until.ts'

/* The task strip's actions over real HTTP, on both engines: Dismiss, Clear finished, Resume of a stalled task. */

afterEach(closeLibraryApis)

const ids = (items: { id: string }[]) => items.map((i) => i.id)
const strip = async (api: LibraryApi) => ids((await api.call('GET', '/tasks?visible=1&limit=200')).body.items).sort()

describe.each(ENGINES)('task actions on %s', (engine) => {
  it('dismisses one task, and clears every finished one while running and stalled ones stay', async () => {
    const api = await startLibraryApi(engine)
    await seedTask(api.db, { id: 'ok' })
    await seedTask(api.db, { id: 'failed', status: 'TASK_STATUS_FAILED' })
    await seedTask(api.db, { id: 'queued', status: 'TASK_STATUS_QUEUED' })
    await seedTask(api.db, { id: 'processing', status: 'TASK_STATUS_PROCESSING' })
    await seedTask(api.db, { id: 'stalled', status: 'TASK_STATUS_PROCESSING' })
    await seedTask(api.db, { id: 'lost', status: 'TASK_STATUS_PROCESSING' })
    await seedTask(api.db, { id: 'gone', dismissed: true })
    await api.db
      .updateTable('tasks')
      .set({ stalled: jsonb({ message: 'no answer', at: 1 }) })
      .where('id', '=', 'local:stalled')
      .execute()
    await api.db.updateTable('tasks').set({ lost: true, finished_at: new Date() }).where('id', '=', 'local:lost').execute()

    const one = await api.call('POST', '/tasks/local%3Aok/dismiss')
    expect(one.status).toBe(200)
    expect(one.body).toMatchObject({ id: 'local:ok', dismissed: true, status: 'TASK_STATUS_SUCCEED' })
    // A second press answers the same.
    expect((await api.call('POST', '/tasks/local%3Aok/dismiss')).body.dismissed).toBe(true)
    expect(await strip(api)).toEqual(['local:failed', 'local:lost', 'local:processing', 'local:queued', 'local:stalled'])

    const cleared = await api.call('POST', '/tasks/dismiss-finished')
    expect(cleared.status).toBe(200)
    expect(cleared.body).toEqual({ count: 2 })
    expect(await strip(api)).toEqual(['local:processing', 'local:queued', 'local:stalled'])
    expect((await api.call('POST', '/tasks/dismiss-finished')).body).toEqual({ count: 0 })

    const events = (await api.library.feed.since(api.db, 'local', 0)).filter((e) => e.topic === 'tasks')
    expect(events.map((e) => e.ids.sort())).toEqual([['local:ok'], ['local:ok'], ['local:failed', 'local:lost']])
  })

  it('refuses an unknown task, and leaves another workspace’s tasks alone', async () => {
    const api = await startLibraryApi(engine, { runner: true })
    await seedTask(api.db, { id: 'theirs' })
    await api.db.updateTable('tasks').set({ workspace_id: 'elsewhere' }).where('id', '=', 'local:theirs').execute()
    for (const path of ['/tasks/local%3Anope/dismiss', '/tasks/local%3Atheirs/dismiss', '/tasks/local%3Atheirs/resume']) {
      const res = await api.call('POST', path)
      expect({ path, status: res.status, reason: res.body.reason }).toEqual({ path, status: 404, reason: 'NOT_FOUND' })
      expect(res.body.message).toMatch(/^No task .*: check the id, which names its provider, as in "local:<task id>"\.$/)
    }
    // An id no task could have is not looked up.
    expect((await api.call('POST', '/tasks/%00/resume')).status).toBe(404)
    expect((await api.call('POST', '/tasks/dismiss-finished')).body).toEqual({ count: 0 })
    expect(await api.db.selectFrom('tasks').select('dismissed').where('id', '=', 'local:theirs').executeTakeFirst()).toEqual({
      dismissed: false,
    })
  })

  it('asks to try again while the runner starts, when a stalled task is resumed', async () => {
    const api = await startLibraryApi(engine)
    await seedTask(api.db, { id: 'stuck', status: 'TASK_STATUS_PROCESSING' })
    await api.db
      .updateTable('tasks')
      .set({ stalled: jsonb({ message: 'no answer', at: 1 }) })
      .where('id', '=', 'local:stuck')
      .execute()
    const res = await api.call('POST', '/tasks/local%3Astuck/resume')
    expect(res.status).toBe(503)
    expect(res.body).toMatchObject({
      reason: 'SERVICE_NOT_AVAILABLE',
      message: 'The gateway is starting its runner. Try again in a few seconds.',
    })
    expect((await api.call('GET', '/tasks/local%3Astuck')).body.stalled).toEqual({ message: 'no answer', at: 1 })
  })

  it('resumes a stalled task: the stall is cleared and it is polled at once', async () => {
    const api = await startLibraryApi(engine, { runner: true })
    // The engine has no such task: the poll that resume schedules finds it lost, which shows the poll ran.
    await seedTask(api.db, { id: 'stuck', status: 'TASK_STATUS_PROCESSING' })
    await api.db
      .updateTable('tasks')
      .set({ stalled: jsonb({ message: 'The provider did not answer.', at: 1 }), poll_failures: 8, next_poll_at: null })
      .where('id', '=', 'local:stuck')
      .execute()
    expect((await api.call('GET', '/tasks/local%3Astuck')).body.stalled).toEqual({ message: 'The provider did not answer.', at: 1 })

    const resumed = await api.call('POST', '/tasks/local%3Astuck/resume')
    expect(resumed.status).toBe(200)
    expect(resumed.body).toMatchObject({ id: 'local:stuck', status: 'TASK_STATUS_PROCESSING' })
    expect(resumed.body).not.toHaveProperty('stalled')
    const polled = await until(async () => {
      const t = (await api.call('GET', '/tasks/local%3Astuck')).body
      return t.lost ? t : undefined
    }, 30_000)
    expect(polled).toMatchObject({ lost: true, finishedAt: expect.any(Number) })
    // A task that is not stalled is answered as it is.
    const again = await api.call('POST', '/tasks/local%3Astuck/resume')
    expect(again.status).toBe(200)
    expect(again.body.lost).toBe(true)
  })

  it('answers the failed polls in a row of a task still checked, and leaves them out once it is stalled or lost', async () => {
    const api = await startLibraryApi(engine)
    for (const id of ['trouble', 'stalled', 'lost', 'fine']) await seedTask(api.db, { id, status: 'TASK_STATUS_PROCESSING' })
    const task = (id: string) => api.db.updateTable('tasks').where('id', '=', `local:${id}`)
    await task('trouble').set({ poll_failures: 3 }).execute()
    await task('stalled')
      .set({ poll_failures: 8, stalled: jsonb({ message: 'no answer', at: 1 }) })
      .execute()
    await task('lost').set({ poll_failures: 1, lost: true, finished_at: new Date() }).execute()
    const failures = async (id: string) => (await api.call('GET', `/tasks/local%3A${id}`)).body.pollFailures
    expect(await failures('trouble')).toBe(3)
    for (const id of ['stalled', 'lost', 'fine']) expect(await failures(id)).toBeUndefined()
  })

  it('hides a deleted experiment’s tasks from the list until it is restored', async () => {
    const api = await startLibraryApi(engine)
    await seedExperiment(api.db, { id: 'sweep-0001' })
    await seedTask(api.db, { id: 'cell', experimentId: 'sweep-0001', cell: { row: 0, col: 0 } })
    await seedTask(api.db, { id: 'single' })
    const all = async () => ids((await api.call('GET', '/tasks')).body.items).sort()
    expect(await all()).toEqual(['local:cell', 'local:single'])
    expect((await api.call('DELETE', '/experiments/sweep-0001')).status).toBe(200)
    expect(await all()).toEqual(['local:single'])
    expect(await strip(api)).toEqual(['local:single'])
    expect((await api.call('POST', '/experiments/sweep-0001/restore')).status).toBe(200)
    expect(await all()).toEqual(['local:cell', 'local:single'])
  })
})

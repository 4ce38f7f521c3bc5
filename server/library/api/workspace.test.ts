import { afterEach, describe, expect, it } from 'vitest'
import { ENGINES } from '../../testing/library-harness.ts'
import { closeLibraryApis, seedSamples, startLibraryApi } from '../../testing/library-fixtures.ts'
import { TEST_WORKSPACE_HEADER } from './workspace.ts'

/*
 * The e2e tests' workspaces: with STUDIO_TEST_WORKSPACES=1, a browser context that names a "test-…" workspace in a
 * header sees only that workspace; without the setting, the header changes nothing.
 */

afterEach(closeLibraryApis)

const ids = (body: { items: { id: string }[] }) => body.items.map((s) => s.id).sort()

describe.each(ENGINES)('test workspaces on %s', (engine) => {
  it('each context sees its own workspace only when the gateway allows test workspaces', async () => {
    const api = await startLibraryApi(engine, { env: { STUDIO_TEST_WORKSPACES: '1' } })
    await seedSamples(api.db, { id: 'mine' })
    await seedSamples(api.db, { id: 'theirs', workspace: 'test-a' })

    expect(ids((await api.call('GET', '/samples')).body)).toEqual(['local:mine#0'])
    expect(ids((await api.call('GET', '/samples', { headers: { [TEST_WORKSPACE_HEADER]: 'test-a' } })).body)).toEqual(['local:theirs#0'])
    expect(ids((await api.call('GET', '/samples', { headers: { [TEST_WORKSPACE_HEADER]: 'test-b' } })).body)).toEqual([])
    // A name outside "test-…" is the designer's own workspace, never another.
    expect(ids((await api.call('GET', '/samples', { headers: { [TEST_WORKSPACE_HEADER]: 'local2' } })).body)).toEqual(['local:mine#0'])
  })

  it('without STUDIO_TEST_WORKSPACES the header is ignored', async () => {
    const api = await startLibraryApi(engine)
    await seedSamples(api.db, { id: 'mine' })
    await seedSamples(api.db, { id: 'theirs', workspace: 'test-a' })
    const res = await api.call('GET', '/samples', { headers: { [TEST_WORKSPACE_HEADER]: 'test-a' } })
    expect(ids(res.body)).toEqual(['local:mine#0'])
  })
})

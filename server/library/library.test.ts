import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { access, readFile, rm } from 'node:fs/promises'
import { dataPaths } from './data-dir.ts'
import { openLibraryDb } from './db/db.ts'
import { freshDataDir } from '../testing/library-harness.ts'
import { killAllGatewayProcesses, launchGateway, launchRefused } from '../testing/gateway-process.ts'

/*
 * The embedded database's care, on real gateway processes (server/testing/gateway-main.ts, which opens the library
 * and stops like `npm start`): one gateway per data folder, a clean close on SIGTERM and SIGINT, and a kill -9 that
 * loses nothing committed.
 */

const dirs: string[] = []
afterEach(async () => {
  killAllGatewayProcesses()
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})
afterAll(killAllGatewayProcesses)

const dataDir = async () => {
  const d = await freshDataDir()
  dirs.push(d)
  return d
}
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  )
const env = (dir: string) => ({ STUDIO_DATA_DIR: dir, LOCAL_ENGINE_DATA_DIR: `${dir}/engine` })

async function insertTask(dir: string, id: string) {
  const opened = await openLibraryDb({ embeddedDir: dataPaths(dir).db })
  await opened.db
    .insertInto('tasks')
    .values({
      workspace_id: 'local',
      id,
      provider: 'local',
      task_id: id,
      request: {},
      created_at: new Date(),
      status: 'TASK_STATUS_QUEUED',
      reason: '',
    })
    .execute()
  await opened.close()
}
async function taskIds(dir: string) {
  const opened = await openLibraryDb({ embeddedDir: dataPaths(dir).db })
  const ids = (await opened.db.selectFrom('tasks').select('id').orderBy('id').execute()).map((r) => r.id)
  await opened.close()
  return ids
}

describe('a gateway on its data folder', () => {
  it('refuses a second gateway on the same folder, saying why', async () => {
    const dir = await dataDir()
    const first = await launchGateway(env(dir))
    const second = await launchRefused(env(dir))
    expect(second.code).toBe(1)
    expect(second.stderr).toMatch(/Another Veo Studio gateway \(process \d+, started .*\) is using the data folder/)
    expect(second.stderr).toContain('Two gateways on one folder would corrupt the library')
    // The first is untouched by the attempt.
    expect((await fetch(`${first.url}/api/config`)).status).toBe(200)
  }, 120_000)

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s checkpoints, closes the database and releases the folder',
    async (signal) => {
      const dir = await dataDir()
      await insertTask(dir, 'local:before')
      const g = await launchGateway(env(dir))
      g.signal(signal)
      expect(await g.exited).toBe(0)
      expect(g.events.map((e) => e.event)).toContain('library.closed')
      expect(await exists(dataPaths(dir).lock)).toBe(false)
      // Closed cleanly: it opens again without recovery, and the row is there.
      expect(await taskIds(dir)).toEqual(['local:before'])
    },
    120_000,
  )

  it('after kill -9 starts again on the same folder, with everything committed still there', async () => {
    const dir = await dataDir()
    await insertTask(dir, 'local:committed')
    const g = await launchGateway(env(dir))
    g.signal('SIGKILL')
    await g.exited
    // The lock of the killed process is still on disk: the next start must see it is stale and take it.
    expect(JSON.parse(await readFile(dataPaths(dir).lock, 'utf8')).pid).toBeGreaterThan(0)
    const again = await launchGateway(env(dir))
    expect(again.events.find((e) => e.event === 'library.open')?.migrations).toEqual([])
    again.signal('SIGTERM')
    expect(await again.exited).toBe(0)
    expect(await taskIds(dir)).toEqual(['local:committed'])
  }, 120_000)

  it('refuses to listen beyond loopback without STUDIO_ALLOW_LAN, and says why', async () => {
    const dir = await dataDir()
    const refused = await launchRefused({ ...env(dir), HOST: '0.0.0.0' })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/HOST=0\.0\.0\.0 would let anyone on your network open this studio/)
    expect(refused.stderr).toContain('STUDIO_ALLOW_LAN=1')
    const allowed = await launchGateway({ ...env(dir), HOST: '0.0.0.0', STUDIO_ALLOW_LAN: '1' })
    expect(allowed.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/)
  }, 120_000)
})

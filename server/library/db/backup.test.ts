import { afterEach, describe, expect, it } from 'vitest'
import { readdir, rm, writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { sql, type Kysely, type Migration } from 'kysely'
import { backupEmbedded, BACKUPS_KEPT, listBackups, restoreEmbedded } from './backup.ts'
import { openLibraryDb } from './db.ts'
import { MIGRATIONS } from './migrations.ts'
import { openLibrary } from '../library.ts'
import { dataPaths } from '../data-dir.ts'
import { freshDataDir } from '../../testing/library-harness.ts'
import { createLogger } from '../../logger.ts'

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})
const migratedDir = async () => {
  const d = await freshDataDir()
  dirs.push(d)
  return d
}

const row = {
  workspace_id: 'local',
  id: 'local:kept',
  provider: 'local',
  task_id: 'kept',
  request: {},
  created_at: new Date(),
  status: 'TASK_STATUS_SUCCEED',
  reason: '',
}

describe('backups of the embedded database', () => {
  it('restores a backup in place of the database, keeping the replaced one aside', async () => {
    const dir = await migratedDir()
    const paths = dataPaths(dir)
    const first = await openLibraryDb({ embeddedDir: paths.db })
    await first.db.insertInto('tasks').values(row).execute()
    const backup = await backupEmbedded(first.embedded!, paths.backups, 'manual')
    await first.db.deleteFrom('tasks').execute()
    await first.close()

    expect((await listBackups(paths.backups)).map((b) => [b.name, b.reason])).toEqual([[backup.name, 'manual']])
    const { movedAside } = await restoreEmbedded(backup.path, paths.db)
    expect(movedAside).toMatch(/db\.before-restore-\d{8}T\d{6}Z$/)
    const restored = await openLibraryDb({ embeddedDir: paths.db })
    expect(await restored.db.selectFrom('tasks').select('id').execute()).toEqual([{ id: 'local:kept' }])
    await restored.close()
  }, 120_000)

  it('changes nothing when the file is not a backup', async () => {
    const dir = await migratedDir()
    const paths = dataPaths(dir)
    const bogus = join(dir, 'not-a-backup.tar.gz')
    await writeFile(bogus, 'hello')
    await expect(restoreEmbedded(bogus, paths.db)).rejects.toThrow(/could not be opened as a library backup/)
    const still = await openLibraryDb({ embeddedDir: paths.db })
    expect(still.applied).toEqual([])
    await still.close()
  }, 120_000)

  it('backs up before a migration runs on an existing library', async () => {
    const dir = await migratedDir()
    const logger = createLogger(() => undefined)
    const config = { dataDir: dir, databaseUrl: undefined, databaseSchema: undefined, backupIntervalMs: 0 }
    const next: Migration = { up: async (db: Kysely<unknown>) => void (await sql`create table later (id int)`.execute(db)) }
    const library = await openLibrary(config, logger, {
      migrations: { getMigrations: async () => ({ ...MIGRATIONS, '0099_later': next }) },
    })
    expect(library.store.applied).toEqual(['0099_later'])
    await library.close()
    expect((await listBackups(dataPaths(dir).backups)).map((b) => b.reason)).toEqual(['before-migration'])
  }, 120_000)

  it(`keeps the newest ${BACKUPS_KEPT} of each kind`, async () => {
    const dir = await migratedDir()
    const paths = dataPaths(dir)
    await mkdir(paths.backups, { recursive: true })
    for (let day = 1; day <= 9; day++)
      await writeFile(join(paths.backups, `library-202601${String(day).padStart(2, '0')}T000000Z-scheduled.tar.gz`), 'x')
    await writeFile(join(paths.backups, 'library-20250101T000000Z-before-migration.tar.gz'), 'x')
    const db = await openLibraryDb({ embeddedDir: paths.db })
    await backupEmbedded(db.embedded!, paths.backups, 'scheduled', new Date('2026-02-01T00:00:00Z'))
    await db.close()
    const names = (await readdir(paths.backups)).sort()
    expect(names.filter((n) => n.endsWith('-scheduled.tar.gz'))).toHaveLength(BACKUPS_KEPT)
    expect(names).toContain('library-20260201T000000Z-scheduled.tar.gz')
    expect(names).not.toContain('library-20260101T000000Z-scheduled.tar.gz')
    expect(names).toContain('library-20250101T000000Z-before-migration.tar.gz')
  }, 120_000)
})

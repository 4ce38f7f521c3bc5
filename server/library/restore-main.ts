// `npm run restore -- <backup file>`: puts a backup of the embedded database in place of the current one, in the
// data folder the gateway would use (STUDIO_DATA_DIR). The gateway must be stopped; the current database is moved
// aside, not deleted. With no file, it lists the backups there.
import { resolve } from 'node:path'
import { resolveDataDir, dataPaths, lockDataDir } from './data-dir.ts'
import { listBackups, restoreEmbedded } from './db/backup.ts'

const dataDir = resolveDataDir(process.env)
const paths = dataPaths(dataDir)
const file = process.argv[2]

async function main(): Promise<void> {
  if (process.env.DATABASE_URL)
    throw new Error('DATABASE_URL is set: restore a PostgreSQL with its own tools (pg_restore or psql), not this command.')
  if (!file) {
    const backups = await listBackups(paths.backups)
    if (backups.length === 0) return console.log(`No backups in ${paths.backups}.`)
    console.log(`Backups in ${paths.backups}, newest first:`)
    for (const b of backups) console.log(`  ${b.name}  (${(b.bytes / 1e6).toFixed(1)} MB)`)
    console.log('Restore one with: npm run restore -- <file>')
    return
  }
  const lock = await lockDataDir(dataDir)
  try {
    const { movedAside } = await restoreEmbedded(resolve(file), paths.db)
    console.log(`Restored ${file} into ${paths.db}.`)
    if (movedAside) console.log(`The database it replaced is kept in ${movedAside}; delete it once you are sure.`)
  } finally {
    await lock.release()
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).message)
  process.exit(1)
})

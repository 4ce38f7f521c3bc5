import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { PGliteHandle } from './pglite-dialect.ts'

/*
 * Backups of the embedded database. PGlite's fsync is a no-op, so a power cut can lose recent writes: a copy on a
 * schedule, and one before every migration, is the way back (the README says how to restore one). A backup is
 * PGlite's own dump of its data folder (a gzipped tar that `loadDataDir` opens), taken under the connection's lock so
 * it is consistent. Files are content-addressed and never changed, so they need no backup of their own: a restored
 * database finds them where they were. PostgreSQL is backed up by its own tools (pg_dump), by whoever runs it.
 */

export type BackupReason = 'scheduled' | 'before-migration' | 'manual'

const NAME = /^library-(\d{8}T\d{6}Z)-(scheduled|before-migration|manual)\.tar\.gz$/

/** How many of each kind are kept; older ones are removed after each new backup. */
export const BACKUPS_KEPT = 7

export interface BackupFile {
  path: string
  name: string
  reason: BackupReason
  bytes: number
  at: Date
}

const stamp = (at: Date) =>
  at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')

export async function backupEmbedded(handle: PGliteHandle, dir: string, reason: BackupReason, now = new Date()): Promise<BackupFile> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const dump = await handle.withConnection(async (p) => {
    await p.exec('CHECKPOINT')
    return p.dumpDataDir('gzip')
  })
  const name = `library-${stamp(now)}-${reason}.tar.gz`
  const path = join(dir, name)
  const partial = `${path}.partial`
  await writeFile(partial, new Uint8Array(await dump.arrayBuffer()), { mode: 0o600 })
  await rename(partial, path)
  await pruneBackups(dir)
  return { path, name, reason, bytes: dump.size, at: now }
}

export async function listBackups(dir: string): Promise<BackupFile[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return []
  }
  const files: BackupFile[] = []
  for (const name of names) {
    const m = NAME.exec(name)
    if (!m) continue
    const at = new Date(m[1]!.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'))
    files.push({ path: join(dir, name), name, reason: m[2] as BackupReason, bytes: (await stat(join(dir, name))).size, at })
  }
  return files.sort((a, b) => b.at.getTime() - a.at.getTime() || b.name.localeCompare(a.name))
}

async function pruneBackups(dir: string): Promise<void> {
  const all = await listBackups(dir)
  const seen = new Map<BackupReason, number>()
  for (const file of all) {
    const n = (seen.get(file.reason) ?? 0) + 1
    seen.set(file.reason, n)
    if (n > BACKUPS_KEPT) await rm(file.path, { force: true })
  }
}

/** Takes a backup every `intervalMs` (never two at once); the first one an interval after the start. */
export function scheduleBackups(run: () => Promise<unknown>, intervalMs: number, onError: (err: Error) => void): () => void {
  if (intervalMs <= 0) return () => {}
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    run()
      .catch((err: unknown) => onError(err as Error))
      .finally(() => (running = false))
  }, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}

/**
 * Puts a backup in place of the embedded database in `dbDir`. The database there now is moved aside, not deleted
 * (`db.before-restore-<time>`), so a restore can itself be undone. The gateway must be stopped (the caller holds the
 * data folder's lock).
 */
export async function restoreEmbedded(backupPath: string, dbDir: string, now = new Date()): Promise<{ movedAside: string | undefined }> {
  const { PGlite } = await import('@electric-sql/pglite')
  const bytes = await readFile(backupPath)
  let movedAside: string | undefined
  try {
    await stat(dbDir)
    movedAside = `${dbDir}.before-restore-${stamp(now)}`
    await rename(dbDir, movedAside)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  try {
    const pglite = await PGlite.create(dbDir, { loadDataDir: new Blob([bytes]) })
    await pglite.query('select 1')
    await pglite.close()
  } catch (err) {
    // Put the database back as it was: a backup that cannot be opened changes nothing.
    await rm(dbDir, { recursive: true, force: true })
    if (movedAside) await rename(movedAside, dbDir)
    throw new Error(`${backupPath} could not be opened as a library backup: ${(err as Error).message}`, { cause: err })
  }
  return { movedAside }
}

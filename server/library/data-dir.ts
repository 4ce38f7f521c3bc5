import { mkdir, open, readFile, rm } from 'node:fs/promises'
import { homedir, hostname } from 'node:os'
import { join, resolve } from 'node:path'

/*
 * The data folder holds the library: the embedded database (db/), the files by SHA-256 (blobs/), the backups
 * (backups/) and the provider key the designer entered (provider-key). One gateway at a time: PGlite keeps no lock of
 * its own, and a second process writing the same files corrupts them, so a lock file with the owner's pid is taken
 * at start and refused while that process lives.
 */

/** The folder's parts, in one place. */
export const dataPaths = (dataDir: string) => ({
  root: dataDir,
  db: join(dataDir, 'db'),
  blobs: join(dataDir, 'blobs'),
  backups: join(dataDir, 'backups'),
  lock: join(dataDir, 'gateway.lock'),
})

/**
 * A sensible per-user place when STUDIO_DATA_DIR is not set: the platform's folder for an application's own data, so
 * the library survives reboots and is not in a temporary folder or inside the checkout.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home = homedir(),
): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Veo Studio')
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'Veo Studio')
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'veo-studio')
}

export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.STUDIO_DATA_DIR?.trim() || defaultDataDir(env))
}

/** A refusal the gateway prints as it is, and exits. */
export class DataDirInUse extends Error {}

interface LockFile {
  pid: number
  host: string
  startedAt: string
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface DataDirLock {
  release(): Promise<void>
}

/**
 * Takes the folder for this process. A lock left by a process that is gone (a kill -9, a power cut) is taken over; one
 * held by a live process, or by another machine sharing the folder, is refused with words that say why and what to do.
 */
export async function lockDataDir(dataDir: string, pid = process.pid): Promise<DataDirLock> {
  const { lock } = dataPaths(dataDir)
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const mine: LockFile = { pid, host: hostname(), startedAt: new Date().toISOString() }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(lock, 'wx', 0o600)
      await file.writeFile(JSON.stringify(mine))
      await file.close()
      return { release: () => releaseIfMine(lock, pid) }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const held = await readLock(lock)
    if (held && held.pid !== pid && (held.host !== mine.host || alive(held.pid))) {
      const where = held.host === mine.host ? `process ${held.pid}` : `process ${held.pid} on ${held.host}`
      throw new DataDirInUse(
        `Another Veo Studio gateway (${where}, started ${held.startedAt}) is using the data folder ${dataDir}. ` +
          'Two gateways on one folder would corrupt the library. Stop the other one first, or start this one with ' +
          'STUDIO_DATA_DIR=<another folder>.',
      )
    }
    // Left by a gateway that is gone (or unreadable): take it over.
    await rm(lock, { force: true })
  }
  throw new DataDirInUse(`Could not take the lock file ${lock}: another gateway is starting on the same data folder.`)
}

async function readLock(path: string): Promise<LockFile | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockFile>
    return typeof parsed.pid === 'number'
      ? { pid: parsed.pid, host: String(parsed.host ?? ''), startedAt: String(parsed.startedAt ?? '') }
      : undefined
  } catch {
    return undefined
  }
}

async function releaseIfMine(path: string, pid: number): Promise<void> {
  const held = await readLock(path)
  if (held?.pid === pid) await rm(path, { force: true })
}

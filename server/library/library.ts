import type { MigrationProvider } from 'kysely'
import type { Logger } from '../logger.ts'
import { FolderBlobStore } from './blobs/folder-store.ts'
import type { BlobStore } from './blobs/blob-store.ts'
import { backupEmbedded, scheduleBackups } from './db/backup.ts'
import { openLibraryDb, redactUrl, type LibraryDb } from './db/db.ts'
import { dataPaths, lockDataDir, type DataDirLock } from './data-dir.ts'
import { ChangeFeed } from './events.ts'
import { ProviderKeyStore } from './provider-key.ts'

/*
 * The library as the gateway holds it: the data folder (locked to this process), the database, the files. Opening
 * is the start-up order; closing is the reverse, and leaves the embedded database checkpointed and the lock released,
 * so the next start opens in about a second.
 */

export interface LibraryConfig {
  /** STUDIO_DATA_DIR: the database (embedded), the files, the backups. */
  dataDir: string
  /** DATABASE_URL: a PostgreSQL instead of the embedded database. */
  databaseUrl: string | undefined
  /** DATABASE_SCHEMA: a schema of its own on that PostgreSQL. */
  databaseSchema: string | undefined
  /** STUDIO_BACKUP_HOURS, in ms: how often the embedded database is backed up (0: only before migrations). */
  backupIntervalMs: number
}

export interface Library {
  config: LibraryConfig
  store: LibraryDb
  blobs: BlobStore
  /** What changed, for the browsers' change feed (events.ts). */
  feed: ChangeFeed
  /** The jiekou.ai key entered in Settings, kept in the data folder (provider-key.ts). */
  providerKey: ProviderKeyStore
  /** A backup of the embedded database now (Settings, and tests); undefined on PostgreSQL. */
  backup(): Promise<string | undefined>
  close(): Promise<void>
}

export interface OpenLibraryOptions {
  migrations?: MigrationProvider
  /** Told of each provider key the library holds, so the logger scrubs it (main.ts). */
  onKey?: (key: string) => void
}

export async function openLibrary(config: LibraryConfig, logger: Logger, options: OpenLibraryOptions = {}): Promise<Library> {
  const paths = dataPaths(config.dataDir)
  // Only the embedded database needs the folder to itself; on PostgreSQL, gateways share the database, not a folder.
  const lock: DataDirLock | undefined = config.databaseUrl ? undefined : await lockDataDir(config.dataDir)
  let store: LibraryDb | undefined
  try {
    const started = Date.now()
    store = await openLibraryDb({
      embeddedDir: paths.db,
      databaseUrl: config.databaseUrl,
      schema: config.databaseSchema,
      ...(options.migrations ? { migrations: options.migrations } : {}),
      beforeMigrate: async (opened, pending) => {
        if (!opened.embedded) return
        const file = await backupEmbedded(opened.embedded, paths.backups, 'before-migration')
        logger.info('library.backup', { reason: 'before-migration', file: file.path, pending })
      },
    })
    const blobs = await FolderBlobStore.open(paths.blobs)
    const providerKey = await ProviderKeyStore.open(config.dataDir, options.onKey)
    logger.info('library.open', {
      engine: store.engine,
      where: store.engine === 'pglite' ? paths.db : redactUrl(config.databaseUrl ?? ''),
      migrations: store.applied,
      ms: Date.now() - started,
    })
    const opened = store
    const backup = async () => {
      if (!opened.embedded) return undefined
      const file = await backupEmbedded(opened.embedded, paths.backups, 'scheduled')
      logger.info('library.backup', { reason: 'scheduled', file: file.path, bytes: file.bytes })
      return file.path
    }
    const stopBackups = opened.embedded
      ? scheduleBackups(backup, config.backupIntervalMs, (err) => logger.error('library.backup_failed', { detail: err.message }))
      : () => {}
    let closing: Promise<void> | undefined
    return {
      config,
      store: opened,
      blobs,
      feed: new ChangeFeed(),
      providerKey,
      backup,
      close: () =>
        (closing ??= (async () => {
          stopBackups()
          await opened.close()
          await lock?.release()
          logger.info('library.closed', { engine: opened.engine })
        })()),
    }
  } catch (err) {
    await store?.close().catch(() => undefined)
    await lock?.release()
    throw err
  }
}

import { Hono } from 'hono'
import type { Library } from '../library.ts'
import { databaseBytes, fileUsage } from '../db/queries/files.ts'
import { diskSpace } from '../disk-space.ts'
import type { LibraryEnv } from './http.ts'

/* Settings › Storage: where the library lives, what takes the space, and what is left on the disk. */

/** `diskFull`: whether the runner's archiving waits for space (it tries again by itself every 30 s). */
export function storageRoutes(library: Library, diskFull: () => boolean = () => false): Hono<LibraryEnv> {
  const app = new Hono<LibraryEnv>()
  app.get('/', async (c) => {
    const { db } = library.store
    const ws = c.get('workspace')
    const [database, videos, posters, frames, disk] = await Promise.all([
      databaseBytes(db),
      fileUsage(db, ws, 'videos'),
      fileUsage(db, ws, 'posters'),
      fileUsage(db, ws, 'frames'),
      diskSpace(library.config.dataDir),
    ])
    return c.json({
      dataDir: library.config.dataDir,
      engine: library.store.engine,
      database: { bytes: database },
      files: { videos, posters, frames },
      disk,
      paused: diskFull() ? { reason: 'disk-full' } : null,
    })
  })
  return app
}

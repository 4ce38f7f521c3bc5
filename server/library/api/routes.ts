import { Hono } from 'hono'
import { ContractError, contractErrorResponse } from '../../errors.ts'
import type { Library } from '../library.ts'
import { blobRoutes } from './blobs-routes.ts'
import { experimentRoutes } from './experiments-routes.ts'
import { experimentWriteRoutes } from './experiments-write-routes.ts'
import { fileRoutes } from './files-routes.ts'
import { frameRoutes } from './frames-routes.ts'
import type { LibraryEnv } from './http.ts'
import { importRoutes } from './import-routes.ts'
import { promptRoutes } from './prompts-routes.ts'
import { sampleRoutes } from './samples-routes.ts'
import { storageRoutes } from './storage-routes.ts'
import { taskRoutes } from './tasks-routes.ts'
import { singleDesignerWorkspace, type WorkspaceGuard } from './workspace.ts'
import { requestRoutes } from './requests.ts'
import { settingsRoutes } from './settings-routes.ts'
import { eventRoutes } from './events-routes.ts'
import type PgBoss from 'pg-boss'

export interface LibraryRouteOptions {
  guard?: WorkspaceGuard
  /** The runner's job queue, once it runs (requests are queued with a job for their turn; a resumed or imported task gets its poll). */
  boss?: () => PgBoss | undefined
  /** The gateway's own key (JIEKOU_API_KEY): when set, Settings keeps none. */
  serverKey?: () => string | undefined
  /** Whether the runner's archiving is paused for a full disk (Settings › Storage and the studio's banner say so). */
  diskFull?: () => boolean
}

/*
 * The library API, mounted at /api/library. Every route runs behind the workspace guard, and every query it makes is
 * scoped by the workspace the guard gave. Lists are keyset pages ({items, nextCursor}); errors are the contract's
 * {code, reason, message, metadata}, the message naming the field and the fix.
 */

export function libraryRoutes(library: Library, options: LibraryRouteOptions = {}): Hono<LibraryEnv> {
  const { guard = singleDesignerWorkspace, boss = () => undefined, serverKey = () => undefined } = options
  const app = new Hono<LibraryEnv>()
  app.use('*', async (c, next) => {
    c.set('workspace', await guard(c))
    await next()
    // Library reads change under the studio's feet: never from a cache (files say otherwise, for themselves).
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store')
  })
  app.route('/samples', sampleRoutes(library))
  app.route('/tasks', taskRoutes(library, boss))
  app.route('/experiments', experimentRoutes(library))
  app.route('/experiments', experimentWriteRoutes(library))
  app.route('/prompts', promptRoutes(library))
  app.route('/frames', frameRoutes(library))
  app.route('/blobs', blobRoutes(library))
  app.route('/import', importRoutes(library, boss))
  app.route('/files', fileRoutes(library))
  app.route('/storage', storageRoutes(library, options.diskFull))
  app.route('/requests', requestRoutes(library, boss))
  app.route('/settings', settingsRoutes(library, serverKey))
  app.route('/events', eventRoutes(library))
  // Refusals thrown by the routes become the contract's answer; anything else is the gateway's own 500 (app.ts).
  app.onError((err, c) => {
    if (err instanceof ContractError) return contractErrorResponse(c, err.status, err.reason, err.message, err.metadata)
    throw err
  })
  return app
}

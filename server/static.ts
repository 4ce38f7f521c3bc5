import { Hono, type Context } from 'hono'
import { compress } from 'hono/compress'
import { serveStatic } from '@hono/node-server/serve-static'

/*
 * The built studio (vite build → dist/). Vite puts content-hashed files under assets/, so those can be cached
 * for good; everything else (index.html, files copied from public/) keeps its name across builds and must be
 * revalidated, or a browser would keep running an old build against a new gateway.
 */

const IMMUTABLE = 'public, max-age=31536000, immutable'
const REVALIDATE = 'no-cache'

/** A path whose last segment has an extension asks for a file; a missing file is a 404, never the app shell. */
const looksLikeFile = (path: string) => /\.[^/]+$/.test(path)

export function createStatic(distDir: string): Hono {
  const routes = new Hono()
  // Decided on the URL, not the file path: distDir itself may sit under a folder named "assets".
  const cacheFor = (urlPath: string) => (urlPath.startsWith('/assets/') ? IMMUTABLE : REVALIDATE)

  // The studio's files go gzipped to browsers that take it (nearly 3× fewer bytes on the wire); images, videos and
  // anything under 1 KB go as they are (hono's compress decides by type and size).
  routes.use('*', compress({ encoding: 'gzip' }))
  routes.use('*', serveStatic({ root: distDir, onFound: (_path, c) => c.header('Cache-Control', cacheFor(c.req.path)) }))

  // Client-side routes (/, /history, ...) all get the app shell; the SPA's router takes it from there.
  const shell = serveStatic({ root: distDir, path: 'index.html', onFound: (_path, c) => c.header('Cache-Control', REVALIDATE) })
  routes.get('*', async (c: Context, next) => {
    const path = c.req.path
    if (path === '/api' || path.startsWith('/api/') || looksLikeFile(path)) return next()
    return shell(c, next)
  })
  return routes
}

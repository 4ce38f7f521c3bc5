import type { MiddlewareHandler } from 'hono'
import { contractErrorResponse } from './errors.ts'

/*
 * The library and the provider key sit behind the gateway, which has no accounts in single-designer mode. A page on
 * another site must not be able to make the studio's gateway spend the key or change the library from the designer's
 * own browser (a cross-site request carries no cookie here, but it reaches loopback all the same). So every
 * state-changing request that a browser marks as coming from elsewhere is refused: an Origin that is not the
 * gateway's own (nor listed in STUDIO_ALLOWED_ORIGINS), or no Origin with `Sec-Fetch-Site: cross-site`. A request
 * with neither header comes from a program (curl, a script), which a web page cannot be.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function originCheck(allowed: readonly string[] = []): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next()
    const origin = c.req.header('origin')
    const own = new URL(c.req.url).origin
    const site = c.req.header('sec-fetch-site')
    const refused = origin !== undefined ? origin !== own && !allowed.includes(origin) : site === 'cross-site'
    if (!refused) return next()
    // Read it, so the client keeps its connection to read the answer.
    await c.req.arrayBuffer().catch(() => undefined)
    return contractErrorResponse(
      c,
      403,
      'ACCESS_DENY',
      "This request came from another site, and the studio's gateway only takes changes from its own pages. Open the studio at its own address.",
      {
        detail: `Origin ${origin ?? '(none; Sec-Fetch-Site: cross-site)'} is not the gateway's own (${own}). To allow another origin, list it in STUDIO_ALLOWED_ORIGINS.`,
      },
    )
  }
}

import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'

/*
 * Security headers on every answer (the studio's pages, its assets, the API). The built studio loads only files
 * from its own origin: one module script and one stylesheet (no inline script or style element), same-origin
 * module workers, no fonts or frames from elsewhere. React sets inline styles through the CSSOM, which a CSP allows.
 *
 * Two exceptions to "own origin, blob: and data:" keep features working, and say why:
 * - img-src http: https: — a frame given by URL (FrameRef kind 'url') is shown by that URL itself
 *   (useFrameSrc in src/db/hooks.ts), and the designer may give an http:// or https:// address anywhere.
 * - media-src https: — a jiekou.ai video plays from the provider's URL until its copy is stored (useSampleSrc in
 *   src/db/sample-src.ts), or for as long as the URL lives when storing failed (a full disk). The provider's URLs
 *   are https; the relay (/api/jiekou/video) would make them same-origin, but the studio does not play through it.
 * Everything that could run code stays on 'self': scripts, workers, connections, objects (none), and no page may
 * frame the studio.
 */

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  imgSrc: ["'self'", 'blob:', 'data:', 'https:', 'http:'],
  mediaSrc: ["'self'", 'blob:', 'data:', 'https:'],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
}

export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'no-referrer',
    // The same as frame-ancestors 'none', for browsers that predate it.
    xFrameOptions: 'DENY',
    // Off: the gateway speaks plain HTTP on loopback, where HSTS means nothing; behind TLS the proxy that terminates
    // it knows the domain, and whether pinning HTTPS for it and every subdomain for six months is wanted.
    strictTransportSecurity: false,
  })
}

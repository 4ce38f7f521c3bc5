import { isIP } from 'node:net'

/*
 * A single-designer gateway has no accounts: whoever reaches it can read the whole library and spend the provider key.
 * So it listens on loopback unless told otherwise, and a wider bind without STUDIO_ALLOW_LAN=1 stops it at start.
 */

export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
  if (h === 'localhost' || h === '::1') return true
  if (isIP(h) === 4) return h.startsWith('127.')
  // ::ffff:127.0.0.1, the IPv4 loopback written as IPv6.
  return h.startsWith('::ffff:127.')
}

/** The words that stop the start, or undefined when the bind is allowed. */
export function lanRefusal(host: string, allowLan: boolean): string | undefined {
  if (allowLan || isLoopbackHost(host)) return undefined
  return (
    `HOST=${host} would let anyone on your network open this studio: read its whole library and spend its provider ` +
    'key, since a single-designer gateway has no accounts. Keep HOST=127.0.0.1 (the default), or set STUDIO_ALLOW_LAN=1 ' +
    'if you trust everyone who can reach this machine.'
  )
}

/** One JSON line per event. Secrets are scrubbed from every line before it is written. */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void
  warn(event: string, fields?: Record<string, unknown>): void
  error(event: string, fields?: Record<string, unknown>): void
}

const SECRET_PATTERNS = [/(Bearer\s+)[^\s"',]+/gi, /("?(?:authorization|api[_-]?key|x-api-key)"?\s*[:=]\s*"?)[^\s"',]+/gi]

export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]')
  for (const re of SECRET_PATTERNS) out = out.replace(re, '$1[redacted]')
  return out
}

export function createLogger(
  write: (line: string) => void = (l) => process.stdout.write(l + '\n'),
  secrets: readonly (string | undefined)[] = [],
): Logger {
  const emit =
    (level: string) =>
    (event: string, fields: Record<string, unknown> = {}) =>
      write(redact(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }), secrets))
  return { info: emit('info'), warn: emit('warn'), error: emit('error') }
}
